import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { acquireSamba } from '../e2e/fixtures/samba/shared-samba';
import { discoverControllers } from '../shared/node/directory/discover-controllers';
import { startHungControllers } from '../shared/node/directory/fixtures/hung-controllers';
import { probeController } from '../shared/node/directory/probe-controller';
import { medianMs, type Row } from './measure';

const run = promisify(execFile);
const deadCount = 5;

/** A DC that accepts TCP on 636 and never answers: the slowest kind of dead, which only the timeout ends. */
async function muteServer(address: string): Promise<{ server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(636, address, resolve);
  });
  return { server, sockets };
}

/**
 * Discovery of 1 live DC and 5 that accept TCP but never answer, against the run's Samba DNS. Baseline: one
 * probe of one such DC, which by construction takes the whole timeout. Parallel probing keeps the ratio near 1.
 */
export async function discoveryBench(runs: number, timeoutMs = 1000): Promise<Row[]> {
  const lease = await acquireSamba();
  const dc = lease.info;
  const dnsAuth = ['-U', `Administrator%${dc.admin.password}`];
  const mutes: { server: Server; sockets: Socket[] }[] = [];
  const added: string[] = [];
  try {
    for (let i = 0; i < deadCount; i += 1) {
      const name = `hung${i}`;
      const address = `127.0.0.${10 + i}`;
      mutes.push(await muteServer(address));
      await run('samba-tool', ['dns', 'add', '127.0.0.1', dc.domain, name, 'A', address, ...dnsAuth]);
      await run('samba-tool', [
        'dns',
        'add',
        '127.0.0.1',
        `_msdcs.${dc.domain}`,
        '_ldap._tcp.dc',
        'SRV',
        `${name}.${dc.domain} 389 0 100`,
        ...dnsAuth,
      ]);
      added.push(name);
    }
    const trust = { caPem: dc.tls.caPem, pinnedFingerprints: [] };
    let found = 0;
    const discovery = await medianMs(async () => {
      const result = await discoverControllers({
        domain: dc.domain,
        dnsServer: dc.dnsServer,
        tls: 'ldaps',
        trust,
        timeoutMs,
      });
      found = result.controllers.length;
    }, runs);
    const single = await medianMs(
      () =>
        probeController(
          { host: '127.0.0.10', port: 636, tls: 'ldaps', serverName: `hung0.${dc.domain}` },
          trust,
          timeoutMs,
        ),
      runs,
    );
    return [
      {
        case: `discover 1 live + ${found - 1} dead DCs (${deadCount} never answer), timeout ${timeoutMs} ms`,
        medianMs: discovery,
        baseline: 'probe of 1 hung DC',
        baselineMs: single,
        target: `≤ ${timeoutMs + 250} ms`,
      },
    ];
  } finally {
    for (const name of added) {
      await run('samba-tool', [
        'dns',
        'delete',
        '127.0.0.1',
        `_msdcs.${dc.domain}`,
        '_ldap._tcp.dc',
        'SRV',
        `${name}.${dc.domain} 389 0 100`,
        ...dnsAuth,
      ]).catch(() => {});
      await run('samba-tool', [
        'dns',
        'delete',
        '127.0.0.1',
        dc.domain,
        name,
        'A',
        `127.0.0.${10 + added.indexOf(name)}`,
        ...dnsAuth,
      ]).catch(() => {});
    }
    for (const mute of mutes) {
      for (const socket of mute.sockets) socket.destroy();
      mute.server.close();
    }
    await lease.release();
  }
}

/**
 * Discovery of DCs that all accept TCP and never answer, listed by a DNS server on loopback (no Samba): with
 * parallel probing it takes one timeout, whatever their number. The target (≤ timeout + 250 ms) is checked here,
 * not in a test: `met` is false, and `npm run bench` exits non-zero, when the median misses it.
 */
export async function hungDiscoveryBench(
  runs: number,
  timeoutMs = 1000,
  counts: readonly number[] = [2, 5],
): Promise<{ rows: Row[]; met: boolean }> {
  const rows: Row[] = [];
  let met = true;
  for (const count of counts) {
    const dcs = await startHungControllers(count);
    try {
      const trust = { pinnedFingerprints: [], trustSystemStore: false };
      let reachable = 0;
      const discovery = await medianMs(async () => {
        const result = await discoverControllers({
          domain: dcs.domain,
          dnsServer: dcs.dnsServer,
          tls: 'ldaps',
          port: dcs.port,
          trust,
          timeoutMs,
        });
        reachable = result.controllers.filter((dc) => dc.reachable).length;
      }, runs);
      const single = await medianMs(
        () =>
          probeController(
            { host: dcs.addresses[0] ?? '', port: dcs.port, tls: 'ldaps', serverName: dcs.names[0] ?? '' },
            trust,
            timeoutMs,
          ),
        runs,
      );
      const limit = timeoutMs + 250;
      const ok = discovery <= limit && reachable === 0;
      met &&= ok;
      rows.push({
        case: `discover ${count} DCs that never answer (loopback DNS), timeout ${timeoutMs} ms`,
        medianMs: discovery,
        baseline: 'probe of 1 hung DC',
        baselineMs: single,
        target: `≤ ${limit} ms: ${ok ? 'met' : 'MISSED'}`,
      });
    } finally {
      await dcs.close();
    }
  }
  return { rows, met };
}
