import type {
  DiagnoseResult,
  Diagnosis,
  DiagnosisDifference,
  DiagnosisKind,
  Stage,
  StageStatus,
} from '../../../../shared/common/diagnostics/diagnosis';
import type { EventPayloadOf } from '../../../../shared/common/ipc/event-map';

export type DiagnosisSection = NonNullable<EventPayloadOf<'progress'>['diagnosis']>['section'];

/** What the dialog draws: each part of a diagnosis, from the finished result or built up from progress events. */
export interface ShownDiagnosis {
  thisComputer: Diagnosis | null;
  remoteAgent: Diagnosis | null;
  agentHost: Diagnosis | null;
  difference: DiagnosisDifference | null;
}

export const noDiagnosis: ShownDiagnosis = {
  thisComputer: null,
  remoteAgent: null,
  agentHost: null,
  difference: null,
};

const severity: readonly StageStatus[] = ['fail', 'warn', 'ok', 'skipped'];

/** The worst outcome among stages, as a diagnosis reports its own status. */
export function worstStatus(stages: readonly Stage[]): StageStatus {
  return severity.find((status) => stages.some((stage) => stage.status === status)) ?? 'skipped';
}

const sectionKind = (section: DiagnosisSection, ownKind: DiagnosisKind): DiagnosisKind =>
  section === 'remoteAgent' ? 'remoteAgent' : section === 'agentHost' ? 'microsoftOnline' : ownKind;

/**
 * A stage that just finished, added to the part it belongs to (or replacing an earlier report of the same
 * stage), so the waterfall grows while the diagnosis runs. `startedAt` is when the window asked.
 */
export function withLiveStage(
  shown: ShownDiagnosis,
  event: NonNullable<EventPayloadOf<'progress'>['diagnosis']>,
  context: { kind: DiagnosisKind; domain: string; startedAt: string },
): ShownDiagnosis {
  const before = shown[event.section];
  const others = before?.stages.filter((stage) => stage.id !== event.stage.id) ?? [];
  const at = before?.stages.findIndex((stage) => stage.id === event.stage.id) ?? -1;
  const stages =
    at >= 0
      ? [...others.slice(0, at), event.stage, ...others.slice(at)]
      : [...others, event.stage].sort((a, b) => a.startMs - b.startMs);
  const diagnosis: Diagnosis = {
    kind: sectionKind(event.section, context.kind),
    side: event.section === 'agentHost' ? 'agentHost' : 'local',
    domain: context.domain,
    startedAt: before?.startedAt ?? context.startedAt,
    durationMs: Math.max(...stages.map((stage) => stage.startMs + stage.durationMs)),
    status: worstStatus(stages),
    stages,
  };
  return { ...shown, [event.section]: diagnosis };
}

export function shownResult(result: DiagnoseResult): ShownDiagnosis {
  return {
    thisComputer: result.thisComputer,
    remoteAgent: result.remoteAgent,
    agentHost: result.agentHost,
    difference: result.difference,
  };
}

/** The name the difference's stage has in the waterfall, for the banner's title. */
export function differenceStageName(shown: ShownDiagnosis): string | null {
  const id = shown.difference?.stageId;
  if (!id) return null;
  const stage = [shown.thisComputer, shown.agentHost, shown.remoteAgent]
    .flatMap((diagnosis) => diagnosis?.stages ?? [])
    .find((candidate) => candidate.id === id);
  return stage?.name ?? id;
}

/** How many stages have reported so far, over every part. */
export function stagesReported(shown: ShownDiagnosis): number {
  return (
    (shown.thisComputer?.stages.length ?? 0) +
    (shown.remoteAgent?.stages.length ?? 0) +
    (shown.agentHost?.stages.length ?? 0)
  );
}
