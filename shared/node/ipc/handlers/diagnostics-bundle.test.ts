import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { directoryRefused, onlineBothSides } from '../../diagnostics/bundle/fixtures/diagnose-results';
import {
  markerForms,
  scanForMarkers,
  unzipWithOtherTools,
} from '../../diagnostics/bundle/fixtures/marker-scan';
import {
  logSecrets,
  secretMarkers,
  seedSecretConnections,
} from '../../diagnostics/bundle/fixtures/secret-seed';
import {
  directoryConnection,
  type StandInHost,
  type StandInOptions,
  standInHost,
} from '../../diagnostics/bundle/fixtures/stand-in-host';
import { zipArchive } from '../../diagnostics/bundle/zip-archive';

// Export diagnostics… through the real router, store, logger and files, as the window calls it. The engine's
// diagnostics:run is stood in for by results built in fixtures (its own tests measure real stages): the bundle
// is about what happens to a diagnosis, not how it is made.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const unique = (label: string) => `Zq9${label}${randomBytes(12).toString('hex')}`;
const secrets = secretMarkers();
const { markers, caBody } = secrets;

async function setUp(options: StandInOptions = {}) {
  const host = standInHost(options);
  closers.push(host.close);
  return host;
}

async function seedSecrets(host: StandInHost) {
  return seedSecretConnections(host.save, await host.deps.connectionStores.forWriting(), secrets);
}

const bundleTarget = () => join(mkdtempSync(join(tmpdir(), 'cu-bundle-out-')), 'support.zip');

describe('diagnostics:exportBundle: the marker test (issue 16)', () => {
  it('holds none of the stored secrets in any spelling, though the log and the store have them all', async () => {
    const target = bundleTarget();
    const host = await setUp({ answers: [target] });
    const ids = await seedSecrets(host);
    await logSecrets(host.userDataDir, secrets);
    // Two diagnosed this session; the third is diagnosed for the bundle.
    host.last.remember(directoryRefused(ids.ad));
    host.last.remember(onlineBothSides(ids.secret));

    const result = await host.call('diagnostics:exportBundle', {
      connectionIds: [ids.ad, ids.secret, ids.certificate],
      operationId: 'export-1',
    });
    expect(result).toMatchObject({ ok: true, value: { saved: true, file: target } });
    expect(host.diagnosed()).toEqual([ids.certificate]);

    const { test, files } = unzipWithOtherTools(target);
    expect(test).toMatch(/No errors detected/);
    const scanned = [...files, { name: 'the zip itself', data: readFileSync(target) }];
    expect(scanForMarkers(markers, scanned)).toEqual([]);
    // Not secret, but the bundle says whether a connection has its own CA, never which.
    expect(scanForMarkers({ caBody }, scanned)).toEqual([]);
    // The log is in it (redacted), so the scan above looked at the entries that held the markers.
    const logText = files.find((file) => file.name === 'logs/main.log')?.data.toString('utf8') ?? '';
    expect(logText).toContain('"droppedUnlisted":2');
    expect(logText).toContain('bind ldaps://svc:[redacted]@dc1 failed; client_secret=[redacted]');
    expect(logText).toContain('Bearer [redacted]');
    expect(logText).toContain('[redacted private key]');
    expect(logText).toContain('"clientSecret":"[redacted]"');
  });

  it('control: the same scan finds a marker planted in each spelling it looks for', () => {
    const marker = unique('Planted');
    const around = (bytes: Buffer) => Buffer.concat([randomBytes(7), bytes, randomBytes(5)]);
    const planted = [
      { name: 'plain.txt', data: around(Buffer.from(`…${marker}…`)) },
      { name: 'utf16.txt', data: around(Buffer.from(`x${marker}y`, 'utf16le')) },
      ...[0, 1, 2].flatMap((prefix) => [
        {
          name: `base64-${prefix}.txt`,
          data: Buffer.from(
            Buffer.concat([randomBytes(prefix), Buffer.from(marker), randomBytes(4)]).toString('base64'),
          ),
        },
        {
          name: `base64url-${prefix}.txt`,
          data: Buffer.from(
            Buffer.concat([randomBytes(prefix), Buffer.from(marker), randomBytes(4)]).toString('base64url'),
          ),
        },
      ]),
      { name: 'clean.txt', data: Buffer.from('nothing to see') },
    ];
    const zip = bundleTarget();
    writeFileSync(zip, Buffer.concat(zipArchive(planted)));
    const hits = scanForMarkers({ planted: marker }, unzipWithOtherTools(zip).files);
    const found = (name: string) => hits.filter((hit) => hit.file === name).map((hit) => hit.form);
    expect(found('plain.txt')).toEqual(['plain']);
    expect(found('utf16.txt')).toEqual(['utf-16le']);
    // A prefix of p bytes puts the marker's byte (3 - p) % 3 at the start of a base64 group.
    for (const prefix of [0, 1, 2]) {
      const alignment = (3 - prefix) % 3;
      expect(found(`base64-${prefix}.txt`)).toContain(`base64 at alignment ${alignment}`);
      expect(found(`base64url-${prefix}.txt`)).toContain(`base64url at alignment ${alignment}`);
    }
    expect(found('clean.txt')).toEqual([]);
    // Plain, UTF-16LE, and base64 and base64url at three alignments each.
    expect(markerForms(marker).map((form) => form.form)).toHaveLength(8);
  });
});

describe('diagnostics:exportBundle: what the bundle holds', () => {
  it('lists its files: manifest, versions, proxy, trust, the log, and per connection its diagnosis as JSON and HTML', async () => {
    const target = bundleTarget();
    const host = await setUp({ answers: [target] });
    const ids = await seedSecrets(host);
    host.last.remember(onlineBothSides(ids.secret));
    const result = await host.call('diagnostics:exportBundle', { connectionIds: [ids.secret, ids.ad] });
    if (!result.ok) throw new Error(result.error.message);
    const diagnosis = (domain: string, kind: string, id: string, extension: string) =>
      `diagnoses/${domain}-${kind}-${id}.${extension}`;
    const expected = [
      'manifest.json',
      'versions.json',
      'proxy.json',
      'trust.json',
      'logs/main.log',
      diagnosis('fabrikam.test', 'microsoftOnline', ids.secret, 'json'),
      diagnosis('fabrikam.test', 'microsoftOnline', ids.secret, 'html'),
      diagnosis('contoso.test', 'activeDirectory', ids.ad, 'json'),
      diagnosis('contoso.test', 'activeDirectory', ids.ad, 'html'),
    ];
    expect(result.value).toEqual({
      saved: true,
      file: target,
      bytes: statSync(target).size,
      entries: expected,
    });
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const { files } = unzipWithOtherTools(target);
    expect(files.map((file) => file.name).sort()).toEqual([...expected].sort());
    const json = (name: string) =>
      JSON.parse(files.find((file) => file.name === name)?.data.toString('utf8') ?? 'null');

    // Both sides and the agent, as main measured them.
    expect(json(expected[5] ?? '')).toEqual(onlineBothSides(ids.secret));
    const manifest = json('manifest.json');
    expect(manifest.files).toEqual(expected.slice(1));
    expect(manifest.connections).toEqual([
      expect.objectContaining({
        connectionId: ids.secret,
        diagnosedFor: 'session',
        status: 'warn',
        report: expected[6],
      }),
      expect.objectContaining({
        connectionId: ids.ad,
        diagnosedFor: 'bundle',
        status: 'fail',
        report: expected[8],
      }),
    ]);
    expect(json('versions.json')).toMatchObject({
      app: { name: 'Connection Utility', host: 'devHost' },
      electron: null,
      node: process.versions.node,
      os: { platform: process.platform },
    });
    expect(json('trust.json')).toEqual({
      systemStore: { trusted: true },
      settings: { microsoftOnlineDefaultCa: false },
      connections: [
        expect.objectContaining({ connectionId: ids.secret, ownCa: true }),
        expect.objectContaining({ connectionId: ids.ad, ownCa: true, pinnedCertificates: 0 }),
      ],
      agents: [{ origin: 'http://127.0.0.1:40002', apiKeyRemembered: true, ownCa: false }],
    });
    expect(json('proxy.json').connections).toEqual([
      expect.objectContaining({
        connectionId: ids.secret,
        signIn: expect.objectContaining({ origin: 'https://login.microsoftonline.com' }),
      }),
    ]);

    // The reports: self-contained, nothing that runs or fetches; URLs only as text.
    for (const file of files.filter((candidate) => candidate.name.endsWith('.html'))) {
      const html = file.data.toString('utf8');
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).not.toMatch(/<script/i);
      for (const tag of html.match(/<[^>]*>/g) ?? [])
        expect(tag, file.name).not.toMatch(/https?:|\s(href|src)=/i);
      expect(/<style>([\s\S]*?)<\/style>/.exec(html)?.[1]).not.toMatch(/url\(|@import|https?:/i);
      expect(html).toContain('<svg class="waterfall"');
    }
  });

  it('diagnoses the connections it has no diagnosis of, reporting progress under the export’s operation id', async () => {
    const target = bundleTarget();
    const host = await setUp({ answers: [target] });
    const a = await host.save(directoryConnection('a.test', 'A'));
    const b = await host.save(directoryConnection('b.test', 'B'));
    const result = await host.call('diagnostics:exportBundle', {
      connectionIds: [a, b, a],
      operationId: 'op-7',
    });
    expect(result).toMatchObject({ ok: true, value: { saved: true } });
    expect(host.diagnosed().sort()).toEqual([a, b].sort());
    expect(host.events.every((event) => event.operationId === 'op-7')).toBe(true);
    expect(host.events.filter((event) => event.diagnosis).map((event) => event.diagnosis?.section)).toEqual([
      'thisComputer',
      'thisComputer',
    ]);
    const steps = host.events.filter((event) => !event.diagnosis);
    expect(steps.map((event) => event.step).sort()).toEqual([
      'Diagnosing A',
      'Diagnosing B',
      'Writing the bundle',
    ]);
    expect(steps.at(-1)).toMatchObject({ step: 'Writing the bundle', done: 2, total: 3 });
  });

  it('passes a diagnosis through the redaction too: a secret-shaped detail leaves as [redacted]', async () => {
    const target = bundleTarget();
    const host = await setUp({ answers: [target] });
    const id = await host.save(directoryConnection('a.test', 'A'));
    const leaky = directoryRefused(id, 'a.test');
    const [first, , failed] = leaky.thisComputer.stages;
    if (!first || !failed?.error) throw new Error('fixture changed');
    first.detail = 'through http://proxyuser:Zq9LeakyProxy@proxy.corp:3128';
    failed.error.detail = { reason: 'Bearer Zq9LeakyDetail', note: 'bindpassword=Zq9LeakyPair' };
    host.last.remember(leaky);
    expect(await host.call('diagnostics:exportBundle', { connectionIds: [id] })).toMatchObject({ ok: true });
    const { files } = unzipWithOtherTools(target);
    expect(scanForMarkers({ a: 'Zq9LeakyProxy', b: 'Zq9LeakyDetail', c: 'Zq9LeakyPair' }, files)).toEqual([]);
    const text = files.map((file) => file.data.toString('utf8')).join('\n');
    expect(text).toContain('http://proxyuser:[redacted]@proxy.corp:3128');
    expect(text).toContain('Bearer [redacted]');
    expect(text).toContain('bindpassword=[redacted]');
  });

  it('leaves out a diagnosis whose detail names a secret, says so in the manifest, and writes the rest', async () => {
    const target = bundleTarget();
    const host = await setUp({ answers: [target] });
    const id = await host.save(directoryConnection('a.test', 'A'));
    const other = await host.save(directoryConnection('b.test', 'B'));
    const leaky = directoryRefused(id, 'a.test');
    const failed = leaky.thisComputer.stages[2];
    if (!failed?.error) throw new Error('fixture changed');
    failed.error.detail = { clientSecret: 'Zq9LeakyDetail' };
    host.last.remember(leaky);
    host.last.remember(directoryRefused(other, 'b.test'));
    expect(await host.call('diagnostics:exportBundle', { connectionIds: [id, other] })).toMatchObject({
      ok: true,
    });
    const { files } = unzipWithOtherTools(target);
    expect(scanForMarkers({ b: 'Zq9LeakyDetail' }, files)).toEqual([]);
    const manifest = JSON.parse(
      files.find((file) => file.name === 'manifest.json')?.data.toString('utf8') ?? '',
    );
    expect(manifest.connections).toMatchObject([
      { connectionId: id, diagnosis: null, error: { code: 'internal' } },
      { connectionId: other, diagnosis: expect.stringMatching(/^diagnoses\//), error: null },
    ]);
  });

  it('names in the manifest a connection it could not find, and still writes the others', async () => {
    const target = bundleTarget();
    const host = await setUp({ answers: [target] });
    const id = await host.save(directoryConnection('a.test', 'A'));
    const gone = '00000000-0000-4000-8000-000000000001';
    const result = await host.call('diagnostics:exportBundle', { connectionIds: [gone, id] });
    expect(result).toMatchObject({ ok: true, value: { saved: true } });
    expect(host.diagnosed()).toEqual([id]);
    const manifest = JSON.parse(
      unzipWithOtherTools(target)
        .files.find((file) => file.name === 'manifest.json')
        ?.data.toString('utf8') ?? '',
    );
    expect(manifest.connections[0]).toMatchObject({
      connectionId: gone,
      diagnosis: null,
      error: { code: 'connections.notFound' },
    });
  });
});

describe('diagnostics:exportBundle: where it writes (rule 6)', () => {
  it('writes nothing when the admin cancels the Save dialog, and diagnoses nothing', async () => {
    const host = await setUp({ answers: [null] });
    const id = await host.save(directoryConnection('a.test', 'A'));
    const before = readdirSync(host.userDataDir).sort();
    expect(await host.call('diagnostics:exportBundle', { connectionIds: [id] })).toEqual({
      ok: true,
      value: { saved: false },
    });
    expect(host.asked).toEqual([
      expect.objectContaining({
        title: 'Export diagnostics',
        defaultPath: expect.stringMatching(/connection-utility-diagnostics-\d{8}-\d{4}\.zip$/),
        filters: [{ name: 'Diagnostics bundle (zip)', extensions: ['zip'] }],
      }),
    ]);
    expect(host.diagnosed()).toEqual([]);
    expect(readdirSync(host.userDataDir).sort()).toEqual(before);
  });

  it('refuses a request that names the file (input.invalid): only main’s dialog chooses it', async () => {
    const host = await setUp({ answers: [bundleTarget()] });
    const target = bundleTarget();
    const result = await host.call('diagnostics:exportBundle', {
      connectionIds: ['00000000-0000-4000-8000-000000000001'],
      file: target,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(host.asked).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });

  it('replaces an existing file whole, 0600 even where the old one was readable by others', async () => {
    const target = bundleTarget();
    writeFileSync(target, 'old');
    chmodSync(target, 0o644);
    const host = await setUp({ answers: [target] });
    const id = await host.save(directoryConnection('a.test', 'A'));
    expect(await host.call('diagnostics:exportBundle', { connectionIds: [id] })).toMatchObject({ ok: true });
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(unzipWithOtherTools(target).test).toMatch(/No errors detected/);
    // No temporary file left beside it.
    expect(readdirSync(join(target, '..'))).toEqual(['support.zip']);
  });

  it('says why when the chosen folder does not exist (diagnostics.bundleIoFailed), and leaves nothing', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cu-bundle-missing-'));
    const target = join(folder, 'gone', 'support.zip');
    const host = await setUp({ answers: [target] });
    const id = await host.save(directoryConnection('a.test', 'A'));
    expect(await host.call('diagnostics:exportBundle', { connectionIds: [id] })).toMatchObject({
      ok: false,
      error: {
        code: 'diagnostics.bundleIoFailed',
        message: `The diagnostics bundle could not be written to ${target}.`,
        hint: expect.stringContaining('does not exist'),
        detail: { file: target, errno: 'ENOENT' },
      },
    });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('writes nothing when the export is cancelled while it diagnoses (operation.cancelled)', async () => {
    const target = bundleTarget();
    const host = await setUp({ answers: [target], hang: true });
    const id = await host.save(directoryConnection('a.test', 'A'));
    const exporting = host.call('diagnostics:exportBundle', {
      connectionIds: [id],
      operationId: 'op-cancel',
    });
    while (host.diagnosed().length === 0) await new Promise((tick) => setTimeout(tick, 5));
    expect(await host.call('operation:cancel', { cancels: 'op-cancel' })).toMatchObject({ ok: true });
    expect(await exporting).toMatchObject({ ok: false, error: { code: 'operation.cancelled' } });
    expect(readdirSync(join(target, '..'))).toEqual([]);
  });
});
