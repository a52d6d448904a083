import { afterEach, describe, expect, it } from 'vitest';
import { AppErrorCode } from '../../common/errors/error-codes';
import { discoverControllers } from './discover-controllers';
import { type HungControllers, startHungControllers } from './fixtures/hung-controllers';
import { testDirectory } from './test-directory';

// DCs that accept the StartTLS request and then never answer the TLS handshake. ldapts times LDAP messages, not
// that handshake, so only our deadline (or Cancel) can end the connection: it must, or every such DC keeps a
// socket for as long as it likes. Judged by what the DCs see, not by a clock.

let hung: HungControllers | null = null;
afterEach(async () => {
  await hung?.close();
  hung = null;
});

const trust = { pinnedFingerprints: [], trustSystemStore: false };

async function stallingControllers(count: number): Promise<HungControllers> {
  hung = await startHungControllers(count, 'stall.test', 41, { answerStartTls: true });
  return hung;
}

/** The wizard's connection test against the first stalling DC, over StartTLS. */
const testFirst = (dcs: HungControllers, timeoutMs: number, signal?: AbortSignal) =>
  testDirectory({
    endpoint: { host: dcs.addresses[0] ?? '', port: dcs.port, tls: 'starttls', serverName: dcs.names[0] },
    trust,
    bindUser: 'svc@stall.test',
    password: 'never-sent',
    timeoutMs,
    ...(signal ? { signal } : {}),
  });

describe('domain controllers that accept StartTLS and stall the handshake', () => {
  it('discovery reports them as timed out and closes every connection it opened', async () => {
    const dcs = await stallingControllers(2);
    const { domain, dnsServer } = dcs;
    const result = await discoverControllers({ domain, dnsServer, tls: 'starttls', trust, timeoutMs: 400 });
    expect(result.controllers.map((dc) => [dc.reachable, dc.error?.code])).toEqual([
      [false, 'ad.timeout'],
      [false, 'ad.timeout'],
    ]);
    expect(dcs.mostOpenAtOnce()).toBe(2);
    await expect.poll(() => dcs.openNow(), { timeout: 1500 }).toBe(0);
  });

  it('the connection test ends at its deadline with the socket closed', async () => {
    const dcs = await stallingControllers(1);
    const outcome = testFirst(dcs, 400);
    await expect(outcome).rejects.toMatchObject({ appError: { code: 'ad.timeout' } });
    await expect.poll(() => dcs.openNow(), { timeout: 1500 }).toBe(0);
  });

  it('Cancel during the handshake closes the socket', async () => {
    const dcs = await stallingControllers(1);
    const cancel = new AbortController();
    const outcome = testFirst(dcs, 60_000, cancel.signal);
    await expect.poll(() => dcs.accepted(), { timeout: 2000 }).toBe(1);
    cancel.abort();
    await expect(outcome).rejects.toMatchObject({ appError: { code: AppErrorCode.operationCancelled } });
    await expect.poll(() => dcs.openNow(), { timeout: 1500 }).toBe(0);
  });
});
