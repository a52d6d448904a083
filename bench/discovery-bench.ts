import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { acquireSamba } from '../e2e/fixtures/samba/shared-samba';
import { discoverControllers } from '../shared/node/directory/discover-controllers';
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
