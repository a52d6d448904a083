import { describe, expect, it } from 'vitest';
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
