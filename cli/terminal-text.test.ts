import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io';
import { printResult } from './print-result';
import { terminalSafe } from './terminal-text';

describe('terminalSafe', () => {
  it('removes C0, DEL and C1 control characters, so no escape sequence survives', () => {
    const text = 'a\u001b]0;owned\u0007b\u001b[2Jc\u009b31md\u007fe\u0000f\u0085g';
    expect(terminalSafe(text)).toBe('a]0;ownedb[2Jc31mdefg');
  });

  it('turns line breaks and tabs into spaces rather than joining words', () => {
    expect(terminalSafe('one\ntwo\r\nthree\tfour')).toBe('one two  three four');
  });

  it('keeps printable text, accents and symbols as they are', () => {
    const text = 'Contoso’s agent — version 1.2.3 (ä, ✓, 日本)';
    expect(terminalSafe(text)).toBe(text);
  });
});

describe('printResult', () => {
  it('prints an agent’s failure without the control characters its message, facts or hint carried', () => {
    let stderr = '';
    const io = { stdout: () => {}, stderr: (text: string) => (stderr += text) };
    printResult(
      {
        ok: false,
        error: {
          code: 'agent.unknownDomain',
          message: 'no \u001b[2Jconnection',
          hint: 'Update \u009b31mfirst',
          detail: { issuer: 'Corp\u0007 CA' },
        },
      },
      false,
      io as unknown as CliIo,
      () => '',
    );
    expect(stderr).toContain('no [2Jconnection');
    expect(stderr).toContain('issuer: Corp CA');
    const controls = [...stderr].filter((character) => {
      const code = character.codePointAt(0) ?? 0;
      return character !== '\n' && (code < 0x20 || (code >= 0x7f && code <= 0x9f));
    });
    expect(controls).toEqual([]);
  });
});
