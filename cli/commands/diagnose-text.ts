import type {
  DiagnoseResult,
  Diagnosis,
  Stage,
  StageStatus,
} from '../../shared/common/diagnostics/diagnosis';
import { diagnosisKindNames as kindNames } from '../../shared/common/diagnostics/diagnosis-kind-names';
import { milliseconds } from '../../shared/node/diagnostics/bundle/milliseconds';
import { terminalSafe as safe } from '../terminal-text';

const marks: Record<StageStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skipped: 'skip' };
const statusWords: Record<StageStatus, string> = {
  ok: 'ok',
  warn: 'ok with warnings',
  fail: 'FAILED',
  skipped: 'skipped',
};

const barWidth = 24;
const maxName = 40;

const named = (text: string, width: number) =>
  (text.length > width ? `${text.slice(0, width - 1)}…` : text).padEnd(width);

/** The sections of a result that ran, with what each is called. */
export function sectionsOf(result: DiagnoseResult): { title: string; diagnosis: Diagnosis }[] {
  return [
    { title: 'this computer', diagnosis: result.thisComputer },
    ...(result.remoteAgent
      ? [{ title: 'the Remote Agent, probed from this computer', diagnosis: result.remoteAgent }]
      : []),
    ...(result.agentHost ? [{ title: 'the Remote Agent host', diagnosis: result.agentHost }] : []),
  ];
}

/** Whether any stage of any section failed: the command's exit status 1. */
export function anyStageFailed(result: DiagnoseResult): boolean {
  return sectionsOf(result).some(({ diagnosis }) =>
    diagnosis.stages.some((stage) => stage.status === 'fail'),
  );
}

function stageLines(
  stage: Stage,
  indent: string,
  nameWidth: number,
  longestMs: number,
  durationWidth: number,
) {
  const bar =
    stage.durationMs > 0
      ? '#'.repeat(Math.max(1, Math.round((stage.durationMs / longestMs) * barWidth)))
      : '';
  const line = [
    `${indent}${marks[stage.status]}  ${named(safe(stage.name), nameWidth)}`,
    milliseconds(stage.durationMs).padStart(durationWidth),
    bar.padEnd(barWidth),
    safe(stage.detail ?? ''),
  ]
    .join('  ')
    .trimEnd();
  const lines = [line];
  if (stage.error) {
    const pad = `${indent}      `;
    lines.push(
      `${pad}${stage.status === 'warn' ? 'Warning' : 'Error'} (${safe(stage.error.code)}): ${safe(stage.error.message)}`,
    );
    // The engine's own hint: cli-hints.ts words its replacements as options of `ad test` and `entra test`,
    // which diagnose does not take.
    if (stage.error.hint) lines.push(`${pad}Next step: ${safe(stage.error.hint)}`);
  }
  return lines;
}

/**
 * A diagnosis as a text waterfall (every text from a stage, an agent or a server made terminal-safe): per section a heading with its outcome, then one line per stage (mark,
 * name, milliseconds, a bar scaled to the longest stage of the whole result, what it found), a domain
 * controller's stages under its name, and the error with its next step under a failed or warning stage.
 */
export function diagnosisText(result: DiagnoseResult): string {
  const sections = sectionsOf(result);
  const stages = sections.flatMap(({ diagnosis }) => diagnosis.stages);
  const longestMs = Math.max(1, ...stages.map((stage) => stage.durationMs));
  const nameWidth = Math.min(
    maxName,
    Math.max(10, ...stages.map((stage) => safe(stage.name).length + (stage.group === undefined ? 0 : 2))),
  );
  const durationWidth = Math.max(...stages.map((stage) => milliseconds(stage.durationMs).length), 4);
  const out: string[] = [];
  for (const { title, diagnosis } of sections) {
    out.push(
      `${safe(diagnosis.domain)} (${kindNames[diagnosis.kind]}), ${title}: ${statusWords[diagnosis.status]} in ${milliseconds(diagnosis.durationMs)}`,
    );
    let group: string | undefined;
    for (const stage of diagnosis.stages) {
      if (stage.group !== undefined && stage.group !== group) out.push(`  ${safe(stage.group)}`);
      group = stage.group;
      const indent = stage.group === undefined ? '  ' : '    ';
      // A stage under its controller is indented further and its name column narrower, so the columns align.
      out.push(...stageLines(stage, indent, nameWidth + 2 - indent.length, longestMs, durationWidth));
    }
    out.push('');
  }
  if (result.difference) out.push(`Difference: ${safe(result.difference.sentence)}`, '');
  return `${out.join('\n').trimEnd()}\n`;
}
