import { describe, expect, it } from 'vitest';
import { unexpectedErrorLine } from './unexpected-error';

describe('the CLI’s line for an unexpected error', () => {
  it('names the error id and channel, and redacts what the message quotes', () => {
    const line = unexpectedErrorLine(
      new Error('bind failed for ldap://svc:Sup3r-Secret!@dc1 with password=Sup3r-Secret!'),
      { channel: 'ad:test', errorId: 'ab12cd34' },
    );
    expect(line).toBe(
      'internal error ab12cd34 in ad:test: bind failed for ldap://svc:[redacted]@dc1 with password=[redacted]\n',
    );
  });

  it('says non-error for anything thrown that is not an Error, without printing it', () => {
    expect(unexpectedErrorLine('password=Sup3r-Secret!', { channel: 'ad:test', errorId: 'x' })).toBe(
      'internal error x in ad:test: non-error\n',
    );
  });
});
