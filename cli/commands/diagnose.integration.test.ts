import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiagnoseResultSchema } from '../../shared/common/diagnostics/diagnosis';
import {
  scanForMarkers,
  unzipWithOtherTools,
} from '../../shared/node/diagnostics/bundle/fixtures/marker-scan';
import {
  logSecrets,
  secretMarkers,
  seedSecretConnections,
} from '../../shared/node/diagnostics/bundle/fixtures/secret-seed';
import { closedPort } from '../../shared/node/fixtures/closed-port';
import { testHost } from '../../shared/node/ipc/fixtures/test-host';
import { runCliInProcess } from '../run-cli-in-process';

// diagnose and diagnose --bundle with the real engine, store, logger and files: every peer is a loopback port
// where nothing listens, and a DNS server on loopback that knows no name, so each diagnosis fails fast at TCP.

let dns: Socket;
let dnsServer: string;

beforeAll(async () => {
  dns = createSocket('udp4');
  // Every question answered NXDOMAIN: the response bit, recursion available, RCODE 3.
  dns.on('message', (question, from) => {
    const answer = Buffer.from(question);
    answer[2] = 0x81;
    answer[3] = 0x83;
    dns.send(answer, from.port, from.address);
  });
  await new Promise<void>((bound) => dns.bind(0, '127.0.0.1', bound));
  dnsServer = `127.0.0.1:${dns.address().port}`;
});
afterAll(() => dns.close());

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function setUp() {
  const host = testHost({ host: 'cli' });
  closers.push(host.close);
  const secrets = secretMarkers();
  const loopback = async () => `https://127.0.0.1:${await closedPort()}`;
  const save = async (request: Record<string, unknown>) => {
    const saved = await host.router.dispatch('connections:save', request, { emit: () => {} });
    if (!saved.ok) throw new Error(saved.error.message);
    return (saved.value as { id: string }).id;
  };
  const ids = await seedSecretConnections(save, await host.deps.connectionStores.forWriting(), secrets, {
    directory: { host: '127.0.0.1', port: await closedPort(), dnsServer },
    online: { authorityHost: await loopback(), graphHost: await loopback() },
    agent: { host: '127.0.0.1', port: await closedPort() },
  });
  return { ...host, secrets, ids, cli: (...argv: string[]) => runCliInProcess(host.router, argv) };
}

describe('diagnose with the real engine', () => {
  it('fails at the domain controller’s TCP stage, says why and what to do, and exits 1', async () => {
    const { cli } = await setUp();
    const run = await cli('diagnose', '--domain', 'contoso.test');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^contoso\.test \(Active Directory\), this computer: FAILED in /);
    expect(run.stdout).toMatch(/\n {4}FAIL {2}TCP \d+ +[<\d]+ ms/);
    expect(run.stdout).toMatch(/\n {10}Error \(ad\.connectionRefused\): .+\n {10}Next step: .+/);

    const json = await cli('diagnose', '--domain', 'contoso.test', '--json');
    expect(json.code).toBe(1);
    const result = DiagnoseResultSchema.parse(JSON.parse(json.stdout));
    expect(result.thisComputer).toMatchObject({ kind: 'activeDirectory', side: 'local', status: 'fail' });
  });

  it('the marker test with real diagnoses: the bundle holds no secret in any spelling (issue 16)', async () => {
    const { cli, secrets, ids, userDataDir } = await setUp();
    await logSecrets(userDataDir, secrets);
    const target = join(mkdtempSync(join(tmpdir(), 'cu-cli-real-bundle-')), 'support.zip');
    const run = await cli('diagnose', '--bundle', target, '--agent');
    expect(run.code).toBe(0);
    const { test, files } = unzipWithOtherTools(target);
    expect(test).toMatch(/No errors detected/);
    const manifest = JSON.parse(
      files.find((file) => file.name === 'manifest.json')?.data.toString('utf8') ?? '',
    );
    // All three diagnosed for the bundle by the engine, each with its report.
    expect(manifest.connections).toHaveLength(3);
    for (const id of Object.values(ids))
      expect(manifest.connections).toContainEqual(
        expect.objectContaining({ connectionId: id, diagnosedFor: 'bundle', status: 'fail', error: null }),
      );
    expect(files.filter((file) => file.name.endsWith('.html'))).toHaveLength(3);
    const scanned = [...files, { name: 'the zip itself', data: readFileSync(target) }];
    expect(scanForMarkers(secrets.markers, scanned)).toEqual([]);
    expect(scanForMarkers({ caBody: secrets.caBody }, scanned)).toEqual([]);
  });
});
