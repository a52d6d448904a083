import type { Diagnosis, DiagnosisDifference, Stage } from '../../common/diagnostics/diagnosis';

const sides = { here: 'here', there: 'on the agent host' } as const;

const verbs: Record<Stage['status'], string> = {
  ok: 'works',
  warn: 'needs attention',
  fail: 'fails',
  skipped: 'does not get that far',
};

/** A sentence's own words, to run on after a colon: no capital at the start, no full stop at the end. */
function clause(text: string): string {
  const trimmed = text.trim().replace(/[.\s]+$/, '');
  // An acronym or a name keeps its capital ("TLS", "Corp Proxy CA"); an ordinary first word loses it.
  return /^[A-Z][a-z]/.test(trimmed) ? `${trimmed.charAt(0).toLowerCase()}${trimmed.slice(1)}` : trimmed;
}

/** What the worse of the two stages says: its error and hint, or its one line of detail. */
function explanation(stage: Stage | undefined): string {
  if (!stage) return '';
  if (stage.error) {
    const { message, hint } = stage.error;
    return `: ${clause(message)}${hint ? ` — ${clause(hint)}` : ''}`;
  }
  return stage.detail ? `: ${clause(stage.detail)}` : '';
}

const rank: Record<Stage['status'], number> = { fail: 3, warn: 2, skipped: 1, ok: 0 };

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/**
 * The first stage, in this computer's order (then the agent host's own), whose status differs between the two
 * sides, in one sentence: "Works here, fails on the agent host at TLS to login.microsoftonline.com: the
 * certificate is issued by 'Corp Proxy CA', a TLS-inspecting proxy — add its CA to the agent or bypass the
 * proxy". Null when both sides agree on every stage.
 */
export function firstDifference(here: Diagnosis, there: Diagnosis): DiagnosisDifference | null {
  const hereById = new Map(here.stages.map((stage) => [stage.id, stage]));
  const thereById = new Map(there.stages.map((stage) => [stage.id, stage]));
  const ids = [...here.stages, ...there.stages.filter((stage) => !hereById.has(stage.id))].map(
    (stage) => stage.id,
  );
  for (const id of ids) {
    const mine = hereById.get(id);
    const theirs = thereById.get(id);
    if (mine?.status === theirs?.status) continue;
    const name = (mine ?? theirs)?.name ?? id;
    let sentence: string;
    if (!mine || !theirs) {
      const ran = mine ? sides.here : sides.there;
      const missing = mine ? sides.there : sides.here;
      sentence = `${capitalised(name)} runs ${ran} but not ${missing}${explanation(mine ?? theirs)}`;
    } else {
      // The worse side explains the difference; "works here, fails there" reads as the admin thinks of it.
      const worse = rank[theirs.status] >= rank[mine.status] ? theirs : mine;
      sentence = `${capitalised(verbs[mine.status])} ${sides.here}, ${verbs[theirs.status]} ${sides.there} at ${name}${explanation(worse)}`;
    }
    return { stageId: id, sentence: sentence.slice(0, 1000) };
  }
  return null;
}
