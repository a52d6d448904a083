import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Candidate, discoverControllers, rank } from './discover-controllers';
import { probeController } from './probe-controller';

const dc = inject('samba');
const trust = { caPem: dc.tls.caPem, pinnedFingerprints: [] };
const svc = dc.users.find((user) => user.name === 'svc-idm');

describe('discoverControllers against Samba', () => {
  it('finds the live DC and the dead one with sites, GC flag and OS, ranked, within timeout + 500 ms', async () => {
    const timeoutMs = 1500;
    const started = performance.now();
    const result = await discoverControllers({
      domain: dc.domain,
      dnsServer: dc.dnsServer,
      tls: 'ldaps',
      trust,
      credentials: { bindUser: svc?.upn ?? '', password: svc?.password ?? '' },
      timeoutMs,
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(timeoutMs + 500);
    expect(result.warnings).toEqual([]);
    expect(result.controllers.map((c) => c.hostName)).toEqual([dc.hostName, dc.deadDc.hostName]);
    expect(result.controllers[0]).toMatchObject({
      hostName: dc.hostName,
      addresses: ['127.0.0.1'],
      port: 636,
      site: dc.mainSite,
      globalCatalog: true,
      operatingSystem: 'Samba',
      sources: ['dns', 'ldap'],
      reachable: true,
      latencyMs: expect.any(Number),
      certificate: { fingerprint: dc.tls.fingerprint, trusted: true },
      error: null,
    });
    expect(result.controllers[1]).toMatchObject({
      hostName: dc.deadDc.hostName,
      addresses: [dc.deadDc.address],
      site: dc.deadDc.site,
      operatingSystem: 'Windows Server 2022 Standard',
      reachable: false,
      latencyMs: null,
      error: { code: 'ad.connectionRefused' },
    });
  });

  it('works from DNS alone without credentials, taking the live DC’s site from its rootDSE', async () => {
    const result = await discoverControllers({
      domain: dc.domain,
      dnsServer: `${dc.dnsServer}:53`,
      tls: 'ldaps',
      trust,
      timeoutMs: 1500,
    });
    expect(result.controllers).toEqual([
      expect.objectContaining({
        hostName: dc.hostName,
        site: dc.mainSite,
        sources: ['dns'],
        globalCatalog: null,
        reachable: true,
      }),
      expect.objectContaining({ hostName: dc.deadDc.hostName, site: null, reachable: false }),
    ]);
  });

  it('probes a DC whose certificate is not trusted yet as reachable, and says it is untrusted', async () => {
    const result = await discoverControllers({
      domain: dc.domain,
      dnsServer: dc.dnsServer,
      tls: 'ldaps',
      trust: { pinnedFingerprints: [] },
      timeoutMs: 1500,
    });
    expect(result.controllers[0]).toMatchObject({
      hostName: dc.hostName,
      reachable: true,
      certificate: { fingerprint: dc.tls.fingerprint, trusted: false },
    });
  });

  it('warns instead of failing when DNS knows no DC of the domain', async () => {
    const result = await discoverControllers({
      domain: 'nowhere.test',
      dnsServer: dc.dnsServer,
      tls: 'ldaps',
      trust,
      timeoutMs: 1000,
    });
    expect(result.controllers).toEqual([]);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'ad.dnsFailed' })]);
  });

  it('keeps the DNS results and warns when the directory refuses the credentials', async () => {
    const result = await discoverControllers({
      domain: dc.domain,
      dnsServer: dc.dnsServer,
      tls: 'ldaps',
      trust,
      credentials: { bindUser: svc?.upn ?? '', password: 'wrong' },
      timeoutMs: 1500,
    });
    expect(result.controllers).toHaveLength(2);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'ad.invalidCredentials' })]);
  });
});

describe('probeController', () => {
  let mute: Server;
  const accepted: Socket[] = [];
  beforeAll(async () => {
    mute = createServer((socket) => {
      accepted.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => mute.close(() => resolve())));

  it('cuts off a server that accepts TCP but never answers at the timeout', async () => {
    const port = (mute.address() as { port: number }).port;
    const started = performance.now();
    const result = await probeController({ host: '127.0.0.1', port, tls: 'ldaps' }, trust, 400);
    expect(result).toMatchObject({ reachable: false, error: { code: 'ad.timeout' } });
    expect(performance.now() - started).toBeLessThan(400 + 250);
    expect(accepted.length).toBe(1);
  });
});

describe('rank', () => {
  const base = {
    addresses: [],
    port: 636,
    globalCatalog: null,
    operatingSystem: null,
    sources: ['dns' as const],
  };
  const candidate = (
    hostName: string,
    site: string,
    reachable: boolean,
    latencyMs: number | null,
  ): Candidate => ({
    ...base,
    hostName,
    site,
    probe: {
      reachable,
      latencyMs,
      rootDse: null,
      certificate: null,
      error: reachable ? null : { code: 'ad.timeout', message: 'x' },
    },
  });

  it('puts reachable first, then this computer’s site, then the fastest', () => {
    const ranked = rank(
      [
        candidate('dead-local', 'Here', false, null),
        candidate('far-fast', 'There', true, 5),
        candidate('local-slow', 'Here', true, 40),
        candidate('local-fast', 'here', true, 10),
      ],
      'Here',
    );
    expect(ranked.map((dc) => dc.hostName)).toEqual(['local-fast', 'local-slow', 'far-fast', 'dead-local']);
  });
});
