import { afterEach, describe, expect, it } from 'vitest';
import { discoverControllers } from './discover-controllers';
import { type HungControllers, startHungControllers } from './fixtures/hung-controllers';

// DCs that accept TCP and never answer, listed by a DNS server on loopback (no Samba): the kind of dead DC that
// only the timeout ends. Probed one after another, N of them would take N timeouts; this checks the parallel
// probing by what the DCs see (all connections open at once), not by a clock. The time itself is in the
// benchmark (bench/discovery-bench.ts), where it is measured against one probe of one such DC.

let hung: HungControllers | null = null;
afterEach(async () => {
  await hung?.close();
  hung = null;
});

const trust = { pinnedFingerprints: [], trustSystemStore: false };

describe('discovery with domain controllers that accept TCP and never answer', () => {
  it.each([2, 3])('probes all %i at once and reports each as timed out', async (count) => {
    const dcs = await startHungControllers(count);
    hung = dcs;
    const result = await discoverControllers({
      domain: dcs.domain,
      dnsServer: dcs.dnsServer,
      tls: 'ldaps',
      port: dcs.port,
      trust,
      timeoutMs: 600,
    });
    expect(dcs.accepted()).toBe(count);
    expect(dcs.mostOpenAtOnce()).toBe(count);
    expect(result.warnings).toEqual([]);
    expect(result.controllers.map((dc) => dc.hostName).sort()).toEqual(dcs.names);
    for (const [index, dc] of result.controllers.entries()) {
      expect(dc, dc.hostName).toMatchObject({
        addresses: [dcs.addresses[dcs.names.indexOf(dc.hostName)]],
        port: dcs.port,
        sources: ['dns'],
        reachable: false,
        latencyMs: null,
        certificate: null,
        error: { code: 'ad.timeout' },
      });
      expect(index).toBeLessThan(count);
    }
  });

  it('closes every connection it opened once the timeout ends the probes', async () => {
    const dcs = await startHungControllers(2);
    hung = dcs;
    await discoverControllers({
      domain: dcs.domain,
      dnsServer: dcs.dnsServer,
      tls: 'ldaps',
      port: dcs.port,
      trust,
      timeoutMs: 400,
    });
    // The DC side sees each connection end: nothing is left for a hung server to hold.
    await expect.poll(() => dcs.mostOpenAtOnce() > 0 && dcs.openNow() === 0, { timeout: 2000 }).toBe(true);
  });

  it('finds the hung DCs through the fixture’s DNS in StartTLS mode too, on the port SRV names', async () => {
    const dcs = await startHungControllers(2);
    hung = dcs;
    const result = await discoverControllers({
      domain: dcs.domain,
      dnsServer: dcs.dnsServer,
      tls: 'starttls',
      trust,
      timeoutMs: 400,
    });
    expect(result.controllers.map((dc) => [dc.port, dc.reachable, dc.error?.code])).toEqual([
      [dcs.port, false, 'ad.timeout'],
      [dcs.port, false, 'ad.timeout'],
    ]);
    expect(dcs.accepted()).toBe(2);
  });
});
