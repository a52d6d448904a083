import { describe, expect, it } from 'vitest';
import type { DiagnoseResult, Diagnosis } from '../../shared/common/diagnostics/diagnosis';
import { diagnosisText } from './diagnose-text';

// Stage names, findings, groups and errors carry text from outside: an agent host's answer, SRV names, rootDSE
// values. None of it may reach the terminal as a control sequence.

const hostile = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\nFAKE: all ok\r';

/** The control characters (C0, DEL, C1) in `text` but the line breaks the formatter itself writes. */
const controlsIn = (text: string) =>
  [...text].filter((character) => {
    const code = character.codePointAt(0) ?? 0;
    return code !== 0x0a && (code < 0x20 || (code >= 0x7f && code <= 0x9f));
  });

function diagnosis(side: Diagnosis['side']): Diagnosis {
  return {
    kind: 'microsoftOnline',
    side,
    domain: `contoso.test${hostile}`,
    startedAt: '2030-01-01T00:00:00.000Z',
    durationMs: 20,
    status: 'fail',
    stages: [
      {
        id: 'dc.x.rootdse',
        name: `rootDSE ${hostile}`,
        group: `dc1${hostile}`,
        status: 'ok',
        startMs: 0,
        durationMs: 5,
        detail: `dc1.contoso.test${hostile}, site ${hostile}`,
      },
      {
        id: 'agent.host',
        name: 'Diagnosis on the agent host',
        status: 'fail',
        startMs: 5,
        durationMs: 15,
        error: { code: 'agent.unreachable', message: `Agent said ${hostile}`, hint: `Do ${hostile}` },
      },
    ],
  };
}

describe('diagnosisText with hostile text', () => {
  it('prints no control character but its own line breaks, and keeps the words', () => {
    const result: DiagnoseResult = {
      connectionId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
      domain: 'contoso.test',
      checkedAt: '2030-01-01T00:00:00.000Z',
      thisComputer: diagnosis('local'),
      remoteAgent: null,
      agentHost: diagnosis('agentHost'),
      difference: { stageId: 'agent.host', sentence: `Differs ${hostile}` },
    };
    const text = diagnosisText(result);
    expect(controlsIn(text)).toEqual([]);
    // A line break inside a value would let it forge a line of its own.
    expect(text.split('\n').filter((line) => line.startsWith('FAKE'))).toEqual([]);
    expect(text).toContain('Agent said ]0;pwned[2J31m FAKE: all ok');
    expect(text).toContain('Next step: Do ]0;pwned');
    expect(text).toContain('Difference: Differs ]0;pwned');
  });
});
