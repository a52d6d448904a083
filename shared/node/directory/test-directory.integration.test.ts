import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AppFailure } from '../../common/errors/app-error';
import { testDirectory } from './test-directory';

// Against the real Samba AD DC of this run (e2e/fixtures/samba), on loopback.
const dc = inject('samba');
const trustCa = { caPem: dc.tls.caPem, pinnedFingerprints: [] };
const noTrust = { pinnedFingerprints: [] };
const svc = dc.users.find((user) => user.name === 'svc-idm');
if (!svc) throw new Error('fixture has no svc-idm user');

async function failure(promise: Promise<unknown>): Promise<AppFailure['appError']> {
  try {
    await promise;
  } catch (error) {
    return (error as AppFailure).appError;
  }
  throw new Error('expected a failure');
}

const ldaps = { host: dc.host, port: 636, tls: 'ldaps' as const };

describe('testDirectory against Samba', () => {
  it.each([
    ['a UPN', () => svc.upn],
    ['DOMAIN\\user', () => `${dc.netbiosDomain}\\${svc.name}`],
    ['a DN', () => `CN=${svc.name},CN=Users,${dc.baseDn}`],
  ])('binds over LDAPS as %s and reads the rootDSE', async (_label, user) => {
    const result = await testDirectory({
      endpoint: ldaps,
      trust: trustCa,
      bindUser: user(),
      password: svc.password,
      timeoutMs: 10_000,
    });
    expect(result.rootDse).toMatchObject({
      defaultNamingContext: dc.baseDn,
      dnsHostName: dc.hostName,
      site: dc.mainSite,
      domainControllerFunctionality: expect.any(Number),
    });
    expect(result.certificate?.fingerprint).toBe(dc.tls.fingerprint);
    expect(result.certificate?.vouchedBy).toBe('connectionCa');
  });

  it('binds over StartTLS on 389', async () => {
    const result = await testDirectory({
      endpoint: { host: dc.host, port: 389, tls: 'starttls' },
      trust: trustCa,
      bindUser: svc.upn,
      password: svc.password,
      timeoutMs: 10_000,
    });
    expect(result.tls).toBe('starttls');
    expect(result.certificate?.fingerprint).toBe(dc.tls.fingerprint);
    expect(result.certificate?.vouchedBy).toBe('connectionCa');
  });

  it('maps a wrong password to ad.invalidCredentials (data 52e)', async () => {
    const error = await failure(
      testDirectory({
        endpoint: ldaps,
        trust: trustCa,
        bindUser: svc.upn,
        password: 'wrong-password',
        timeoutMs: 10_000,
      }),
    );
    expect(error).toMatchObject({
      code: 'ad.invalidCredentials',
      detail: { ldapResult: 49, adData: '52e', host: dc.host },
    });
    expect(JSON.stringify(error)).not.toContain('wrong-password');
  });

  it.each([
    ['disabled-user', 'ad.accountDisabled'],
    ['must-change', 'ad.mustChangePassword'],
  ])('maps %s to %s', async (name, code) => {
    const user = dc.users.find((candidate) => candidate.name === name);
    const error = await failure(
      testDirectory({
        endpoint: ldaps,
        trust: trustCa,
        bindUser: user?.upn ?? '',
        password: user?.password ?? '',
        timeoutMs: 10_000,
      }),
    );
    expect(error.code).toBe(code);
  });

  it('refuses a plaintext bind with the Enable SSL hint', async () => {
    const error = await failure(
      testDirectory({
        endpoint: { host: dc.host, port: 389, tls: 'none' },
        trust: noTrust,
        bindUser: svc.upn,
        password: svc.password,
        timeoutMs: 10_000,
      }),
    );
    expect(error).toMatchObject({ code: 'ad.sslRequired', hint: expect.stringContaining('Enable SSL') });
  });

  it('reports an untrusted certificate with its fingerprint, then succeeds once that fingerprint is pinned', async () => {
    const error = await failure(
      testDirectory({
        endpoint: ldaps,
        trust: noTrust,
        bindUser: svc.upn,
        password: svc.password,
        timeoutMs: 10_000,
      }),
    );
    expect(error).toMatchObject({
      code: 'ad.tlsUntrusted',
      detail: {
        fingerprint: dc.tls.fingerprint,
        subject: expect.stringContaining(dc.hostName),
        issuer: expect.stringContaining('Test CA'),
      },
    });
    const pinned = await testDirectory({
      endpoint: ldaps,
      trust: { pinnedFingerprints: [String(error.detail?.fingerprint)] },
      bindUser: svc.upn,
      password: svc.password,
      timeoutMs: 10_000,
    });
    expect(pinned.rootDse.defaultNamingContext).toBe(dc.baseDn);
    expect(pinned.certificate?.vouchedBy).toBe('pinned');
  });

  it('never sends the password to an untrusted server', async () => {
    // The bind is what carries the password; an untrusted handshake must fail before it.
    const steps: string[] = [];
    await failure(
      testDirectory({
        endpoint: ldaps,
        trust: { pinnedFingerprints: ['00:'.repeat(31).concat('00')] },
        bindUser: svc.upn,
        password: svc.password,
        timeoutMs: 10_000,
        onStep: (step) => steps.push(step),
      }),
    );
    expect(steps.some((step) => step.startsWith('Signing in'))).toBe(false);
  });
});

describe('testDirectory when the server is not there', () => {
  let mute: Server;
  let mutePort = 0;
  beforeAll(async () => {
    // Accepts TCP, reads and discards, and never answers: a hung service behind an open port.
    mute = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    mutePort = (mute.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => mute.close(() => resolve())));

  it('reports a closed port as ad.connectionRefused with host, port and elapsed ms', async () => {
    const error = await failure(
      testDirectory({
        endpoint: { host: '127.0.0.1', port: 1, tls: 'ldaps' },
        trust: trustCa,
        bindUser: 'x',
        password: 'y',
        timeoutMs: 3000,
      }),
    );
    expect(error).toMatchObject({
      code: 'ad.connectionRefused',
      detail: { host: '127.0.0.1', port: 1, elapsedMs: expect.any(Number) },
    });
  });

  it('gives up on a server that never answers within the timeout', async () => {
    const started = performance.now();
    const error = await failure(
      testDirectory({
        endpoint: { host: '127.0.0.1', port: mutePort, tls: 'ldaps' },
        trust: trustCa,
        bindUser: 'x',
        password: 'y',
        timeoutMs: 700,
      }),
    );
    expect(error.code).toBe('ad.timeout');
    expect(performance.now() - started).toBeLessThan(700 + 1000);
  });

  it('says when LDAPS is pointed at the plain LDAP port', async () => {
    const error = await failure(
      testDirectory({
        endpoint: { host: dc.host, port: 389, tls: 'ldaps' },
        trust: trustCa,
        bindUser: 'x',
        password: 'y',
        timeoutMs: 3000,
      }),
    );
    expect(['ad.tlsFailed', 'ad.connectionLost']).toContain(error.code);
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    const pending = failure(
      testDirectory({
        endpoint: { host: '127.0.0.1', port: mutePort, tls: 'ldaps' },
        trust: trustCa,
        bindUser: 'x',
        password: 'y',
        timeoutMs: 10_000,
        signal: controller.signal,
      }),
    );
    setTimeout(() => controller.abort(), 100);
    expect((await pending).code).toBe('operation.cancelled');
  });
});
