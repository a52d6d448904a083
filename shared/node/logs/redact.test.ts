import { describe, expect, it } from 'vitest';
import { redact } from './redact';

describe('redact', () => {
  it('removes secret-named fields at any depth, and secrets inside strings', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXBhcnQ';
    const entry = redact({
      msg: `PUT failed: Authorization: Bearer abc.def-123 and ${jwt}`,
      request: { domain: 'contoso.com', secret: 'S3cr3t!', apiKey: 'k-123', nested: [{ password: 'pw' }] },
      headers: { authorization: 'Bearer xyz', 'x-api-key': 'k' },
      url: 'https://example/?client_secret=abc&x=1',
      body: 'password=hunter2; user=admin',
      pem: '-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----',
      hasSecret: true,
    });
    const text = JSON.stringify(entry);
    for (const secret of [
      'S3cr3t!',
      'k-123',
      '"pw"',
      'xyz',
      'abc.def-123',
      jwt,
      'hunter2',
      'MIIEv',
      'client_secret=abc',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(entry).toMatchObject({
      request: { domain: 'contoso.com' },
      hasSecret: true,
      body: 'password=[redacted]; user=admin',
    });
  });
});

describe('redact: more spellings of a password (rule 8)', () => {
  it.each([['passwd'], ['bindPw'], ['bind_pw'], ['userPwd'], ['PASSWD']])(
    'drops the value of a field named %s',
    (name) => {
      expect(redact({ [name]: 'hunter2', user: 'svc-idm' })).toEqual({
        [name]: '[redacted]',
        user: 'svc-idm',
      });
    },
  );

  it.each([
    ['ldap://user:secret@host', 'ldap://user:[redacted]@host'],
    ['https://u:p@x', 'https://u:[redacted]@x'],
    ['ldap://svc:p@ss@dc1.contoso.com/ou=x', 'ldap://svc:[redacted]@dc1.contoso.com/ou=x'],
    [
      'connect ldaps://CONTOSO%5Csvc:P%40ss%3Aw0rd@dc1.contoso.com:636 failed',
      'connect ldaps://CONTOSO%5Csvc:[redacted]@dc1.contoso.com:636 failed',
    ],
    [
      'see https://example.com/a@b and https://host:443/path',
      'see https://example.com/a@b and https://host:443/path',
    ],
  ])('removes the password inside the URL %s', (text, expected) => {
    expect(redact(text)).toBe(expected);
    expect(redact({ url: text })).toEqual({ url: expected });
  });

  it('bindPw=… and passwd: … inside a string', () => {
    expect(redact('bindPw=hunter2 passwd: hunter3')).toBe('bindPw=[redacted] passwd: [redacted]');
  });
});

describe('redact: depth', () => {
  it('replaces what is nested past the depth it checks, instead of returning it unchecked', () => {
    let deep: unknown = { password: 'hunter2', user: 'svc-idm' };
    for (let level = 0; level < 10; level += 1) deep = [{ level: deep }];
    const text = JSON.stringify(redact({ deep }));
    expect(text).not.toContain('hunter2');
    expect(text).toContain('"[too deep]"');
    // Within the depth it keeps what is not secret.
    expect(redact({ a: { b: { c: { user: 'svc-idm', password: 'x' } } } })).toEqual({
      a: { b: { c: { user: 'svc-idm', password: '[redacted]' } } },
    });
  });

  it('ends a cycle with the placeholder', () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    expect(JSON.stringify(redact(cycle))).toContain('"[too deep]"');
  });
});
