import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Connection, ConnectionSchema } from '../../common/connections/connection';
import {
  agentBinding,
  agentOriginOf,
  bindingDigest,
  directoryTrustKey,
  entraDestinationKey,
  entraDestinationOf,
  targetKey,
} from './secret-binding';

// What a stored secret is bound to. The exact strings and digests are pinned: every saved secret is sealed with
// its record's digest and every remembered agent key is stored under its binding, so a change to either drops
// every password, secret and key already saved. What must count as the same destination, and what as another,
// is checked one input at a time.

const hashes = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    createHash: (...args: Parameters<typeof real.createHash>) => {
      hashes.count += 1;
      return real.createHash(...args);
    },
  };
});
afterEach(() => {
  hashes.count = 0;
});

const now = '2026-01-01T00:00:00.000Z';
const pem = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
const pinA = `${'AB:'.repeat(31)}AB`;
const pinB = `${'01:'.repeat(31)}01`;

const ad = (extra: Record<string, unknown> = {}) =>
  ConnectionSchema.parse({
    kind: 'activeDirectory',
    id: '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a11',
    name: 'AD',
    domain: 'contoso.com',
    targets: [
      { host: 'DC2.contoso.com', port: 636, tls: 'ldaps' },
      { host: 'dc1.contoso.com', port: 389, tls: 'starttls' },
    ],
    bindUser: 'svc@contoso.com',
    dnsServer: '10.0.0.53',
    trust: { caPem: pem('MIIB'), pinnedFingerprints: [pinA, pinB] },
    allowInsecure: false,
    createdAt: now,
    updatedAt: now,
    ...extra,
  });

const online = (extra: Record<string, unknown> = {}) =>
  ConnectionSchema.parse({
    kind: 'microsoftOnline',
    id: '9d1c1c0e-8a8b-4d6f-b1a2-2f4e3d5c6b7a',
    name: 'MO',
    tenantDomain: 'Contoso.COM',
    authMode: 'clientSecret',
    clientId: 'AAAAAAAA-2222-4333-8444-555555555555',
    cloud: 'global',
    remoteAgent: { host: 'Agent.Contoso.com', port: 40443, useTls: true, allowInsecure: false },
    createdAt: now,
    updatedAt: now,
    ...extra,
  });

const certificateOnline = () =>
  online({
    authMode: 'certificate',
    certificatePem: pem('MIIC'),
    userPrincipalName: 'Admin@Contoso.com',
    authorityHost: 'https://login.example',
    graphHost: 'https://graph.example',
    caPem: pem('MIID'),
    remoteAgent: { host: 'FE80::1', port: 40002, useTls: false, allowInsecure: true },
  });

describe('the digests secrets are sealed with stay the same from version to version', () => {
  it.each([
    ['an Active Directory connection', () => ad(), 'e89AMrs453ChwNeadFwJ6U6vtJJ3Gk0cjZoFjRiA_Sw'],
    ['a client-secret connection', () => online(), 'mYMvarGONhO9s1o8tjLSGT1GYGobCPHbNaq-FtiQ3oc'],
    [
      'a certificate connection with every optional field',
      certificateOnline,
      'RKjPz5dj2hO8PPkx3Gu4slmCHhpeUZzbieYTlr9kVaY',
    ],
  ])('%s', (_what, record, digest) => {
    expect(bindingDigest(record())).toBe(digest);
  });

  it('an agent key’s binding and an Entra destination’s key too', () => {
    expect(agentBinding({ host: 'Agent.Contoso.com', port: 40443, useTls: true, caPem: pem('MIIE') })).toBe(
      'https://agent.contoso.com:40443#ca=P2dKC0vuRR_A9YCHnO46F3',
    );
    expect(entraDestinationKey(entraDestinationOf(certificateOnline() as never))).toBe(
      JSON.stringify([
        'contoso.com',
        'certificate',
        'admin@contoso.com',
        'aaaaaaaa-2222-4333-8444-555555555555',
        pem('MIIC'),
        'global',
        'https://login.example',
        'https://graph.example',
        pem('MIID'),
      ]),
    );
  });
});

describe('targetKey and directoryTrustKey', () => {
  it('name a target by its TLS mode, lower-case host and port', () => {
    expect(targetKey({ host: 'DC1.Contoso.COM', port: 636, tls: 'ldaps' })).toBe(
      'ldaps://dc1.contoso.com:636',
    );
  });

  it('ignore the order and letter case of pins, but not which pins or which CA', () => {
    const key = directoryTrustKey({ caPem: pem('A'), pinnedFingerprints: ['ab:cd', 'EF:01'] });
    expect(directoryTrustKey({ caPem: pem('A'), pinnedFingerprints: ['ef:01', 'AB:CD'] })).toBe(key);
    expect(key).toBe(JSON.stringify([pem('A'), ['AB:CD', 'EF:01']]));
    expect(directoryTrustKey({ caPem: pem('B'), pinnedFingerprints: ['ab:cd', 'EF:01'] })).not.toBe(key);
    expect(directoryTrustKey({ caPem: pem('A'), pinnedFingerprints: ['ab:cd', 'EF:02'] })).not.toBe(key);
    expect(directoryTrustKey({ pinnedFingerprints: [] })).toBe('[null,[]]');
  });
});

describe('entraDestinationKey', () => {
  const base = entraDestinationOf(online() as never);
  const key = entraDestinationKey(base);

  it('ignores the letter case of the domain, the user and the client id', () => {
    expect(
      entraDestinationKey({ ...base, domain: 'CONTOSO.com', clientId: base.clientId?.toLowerCase() ?? '' }),
    ).toBe(key);
    const withUser = entraDestinationKey({ ...base, userPrincipalName: 'Admin@Contoso.com' });
    expect(entraDestinationKey({ ...base, userPrincipalName: 'admin@contoso.com' })).toBe(withUser);
    expect(withUser).not.toBe(key);
  });

  it.each([
    ['domain', 'fabrikam.com'],
    ['authMode', 'certificate'],
    ['clientId', '11111111-2222-4333-8444-555555555555'],
    ['certificatePem', pem('X')],
    ['cloud', 'china'],
    ['authorityHost', 'https://login.rogue.example'],
    ['graphHost', 'https://graph.rogue.example'],
    ['caPem', pem('Y')],
  ])('changes with the %s', (field, value) => {
    expect(entraDestinationKey({ ...base, [field]: value })).not.toBe(key);
  });
});

describe('agentBinding', () => {
  it('is the origin: scheme, lower-case host (IPv6 in brackets) and port, plus the CA when there is one', () => {
    expect(agentBinding({ host: 'Agent.Contoso.com', port: 40002, useTls: false })).toBe(
      'http://agent.contoso.com:40002',
    );
    expect(agentBinding({ host: 'FE80::1', port: 40443, useTls: true })).toBe('https://[fe80::1]:40443');
    const withCa = agentBinding({ host: 'agent', port: 1, useTls: true, caPem: pem('Z') });
    expect(withCa).toMatch(/^https:\/\/agent:1#ca=[A-Za-z0-9_-]{22}$/);
    expect(agentBinding({ host: 'agent', port: 1, useTls: true, caPem: pem('W') })).not.toBe(withCa);
    expect(agentOriginOf(withCa)).toBe('https://agent:1');
    expect(agentOriginOf('http://agent:1')).toBe('http://agent:1');
  });
});

describe('bindingDigest', () => {
  it('ignores the order of the targets, and what is not a destination (name, bind user, id)', () => {
    const digest = bindingDigest(ad());
    const reordered = ad({
      targets: [
        { host: 'dc1.contoso.com', port: 389, tls: 'starttls' },
        { host: 'dc2.contoso.com', port: 636, tls: 'ldaps' },
      ],
    });
    expect(bindingDigest(reordered)).toBe(digest);
    expect(bindingDigest(ad({ name: 'Renamed', bindUser: 'other@contoso.com' }))).toBe(digest);
  });

  it.each([
    ['the domain', { domain: 'fabrikam.com' }],
    ['a target', { targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }] }],
    ['the DNS server', { dnsServer: '10.0.0.54' }],
    ['the CA', { trust: { caPem: pem('OTHER'), pinnedFingerprints: [pinA, pinB] } }],
    ['a pin', { trust: { caPem: pem('MIIB'), pinnedFingerprints: [pinA] } }],
    [
      'the insecure switch',
      { allowInsecure: true, targets: [{ host: 'dc1.contoso.com', port: 389, tls: 'none' }] },
    ],
  ])('of an Active Directory connection changes with %s', (_what, change) => {
    expect(bindingDigest(ad(change))).not.toBe(bindingDigest(ad()));
  });

  it('keeps the two kinds apart and counts the agent and its insecure switch for Microsoft Online', () => {
    const digest = bindingDigest(online());
    expect(
      bindingDigest(online({ remoteAgent: { host: 'agent.contoso.com', port: 40444, useTls: true } })),
    ).not.toBe(digest);
    const plain = online({ remoteAgent: { host: 'agent.contoso.com', port: 40443, useTls: false } });
    const insecure = online({
      remoteAgent: { host: 'agent.contoso.com', port: 40443, useTls: false, allowInsecure: true },
    });
    expect(bindingDigest(insecure)).not.toBe(bindingDigest(plain));
  });

  it('hashes a record once, however often it is asked', () => {
    const record: Connection = ad({ name: 'Cached' });
    const first = bindingDigest(record);
    const counted = hashes.count;
    expect(bindingDigest(record)).toBe(first);
    expect(hashes.count).toBe(counted);
    expect(counted).toBe(1);
  });
});
