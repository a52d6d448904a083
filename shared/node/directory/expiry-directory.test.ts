import { describe, expect, it } from 'vitest';
import { ConnectionSchema } from '../../common/connections/connection';
import type { AdTestResult } from '../../common/directory/directory-test';
import { describesDirectory, directoryExpiries } from './expiry-directory';

const result: AdTestResult = {
  host: 'dc1.contoso.com',
  port: 636,
  tls: 'ldaps',
  boundAs: 'svc@contoso.com',
  elapsedMs: 12,
  checkedAt: '2026-06-01T12:00:00.000Z',
  certificate: {
    subject: 'CN=dc1.contoso.com',
    issuer: 'CN=Contoso CA',
    validFrom: 'Jun  1 00:00:00 2026 GMT',
    validTo: 'Dec  1 00:00:00 2026 GMT',
    fingerprint: 'AA',
    subjectAltNames: null,
    vouchedBy: 'connectionCa',
  },
  rootDse: {
    defaultNamingContext: 'DC=contoso,DC=com',
    configurationNamingContext: null,
    dnsHostName: null,
    serverName: null,
    domainControllerFunctionality: 7,
    site: null,
  },
};

const connection = (bindUser: string, host: string) =>
  ConnectionSchema.parse({
    kind: 'activeDirectory',
    id: '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a11',
    name: 'Contoso AD',
    domain: 'contoso.com',
    targets: [{ host, port: 636, tls: 'ldaps' }],
    bindUser,
    createdAt: result.checkedAt,
    updatedAt: result.checkedAt,
  });

describe('what an AD test learns of expiries', () => {
  it('the DC certificate’s end from the handshake, and the password’s, "never" included', () => {
    expect(directoryExpiries(result, { notAfter: 'never', account: 'CN=svc' })).toEqual([
      {
        what: 'ldapsCertificate',
        notAfter: '2026-12-01T00:00:00.000Z',
        source: 'dc1.contoso.com:636',
        note: 'CN=dc1.contoso.com',
        checkedAt: result.checkedAt,
      },
      { what: 'password', notAfter: 'never', source: 'svc@contoso.com', checkedAt: result.checkedAt },
    ]);
  });

  it('an unreadable password expiry is recorded as unknown, with why', () => {
    expect(directoryExpiries({ ...result, certificate: null }, null)).toEqual([
      expect.objectContaining({ what: 'password', notAfter: null, note: expect.stringContaining('msDS-') }),
    ]);
  });

  it('is recorded only on a connection with that DC and that account', () => {
    expect(describesDirectory(result)(connection('SVC@contoso.com', 'dc1.contoso.com'))).toBe(true);
    expect(describesDirectory(result)(connection('other@contoso.com', 'dc1.contoso.com'))).toBe(false);
    expect(describesDirectory(result)(connection('svc@contoso.com', 'dc2.contoso.com'))).toBe(false);
  });
});
