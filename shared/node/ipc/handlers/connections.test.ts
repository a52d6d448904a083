import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHostDependencies } from '../node-host-dependencies';
import { createRouter } from '../router';
import { createHandlers } from './create-handlers';

// Through the real router and handlers, as the window calls them: what comes back, and what lands on disk.

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;
const secrets = ['Domain-Adm1n-P@ss', 'Gl0bal-Adm1n-P@ss', 'cl1ent~s3cret.value_XYZ', privateKey];
const certificatePem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ==\n-----END CERTIFICATE-----';

function encodings(secret: string): Buffer[] {
  const forms = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  return [
    ...forms,
    ...forms.map((form) => Buffer.from(form.toString('base64'))),
    Buffer.from(encodeURIComponent(secret)),
  ];
}

/** For the private key, its base64 body is the secret part; the PEM armour lines are public knowledge. */
function needles(): Buffer[] {
  const keyBody = privateKey.split('\n').filter((line) => line && !line.startsWith('-----'));
  return [...secrets.slice(0, 3).flatMap(encodings), ...keyBody.slice(1, -1).flatMap(encodings)];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'cu-hygiene-'));
  const log: string[] = [];
  const deps = nodeHostDependencies({ host: 'devHost', userDataDir: dir });
  const router = createRouter(createHandlers(deps), {
    onTrace: (trace) => log.push(JSON.stringify({ msg: 'ipc', ...trace })),
    onUnexpectedError: (error, facts) =>
      log.push(JSON.stringify({ ...facts, error: error instanceof Error ? error.message : String(error) })),
  });
  cleanups.push(() => deps.connectionStores.close());
  const responses: unknown[] = [];
  const call = async (channel: string, payload: unknown) => {
    const result = await router.dispatch(channel, payload, { emit: () => {} });
    responses.push(result);
    return result;
  };
  return { dir, log, call, responses };
}

describe('connections over IPC', () => {
  it('never lets a secret out: not in a response, a file of the data folder, an export or the log', async () => {
    const { dir, log, call, responses } = setUp();
    const saves = [
      {
        kind: 'activeDirectory',
        name: 'Contoso AD',
        domain: 'contoso.com',
        targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }],
        bindUser: 'CONTOSO\\svc-idm',
        password: secrets[0],
      },
      {
        kind: 'microsoftOnline',
        name: 'Contoso (password)',
        tenantDomain: 'contoso.com',
        authMode: 'password',
        userPrincipalName: 'admin@contoso.onmicrosoft.com',
        secret: secrets[1],
      },
      {
        kind: 'microsoftOnline',
        name: 'Contoso (client secret)',
        tenantDomain: 'fabrikam.com',
        authMode: 'clientSecret',
        clientId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
        secret: secrets[2],
      },
      {
        kind: 'microsoftOnline',
        name: 'Contoso (certificate)',
        tenantDomain: 'tailspin.com',
        authMode: 'certificate',
        clientId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
        certificatePem,
        secret: secrets[3],
      },
    ];
    const ids: string[] = [];
    for (const save of saves) {
      const result = await call('connections:save', save);
      expect(result).toMatchObject({ ok: true });
      if (result.ok) ids.push((result.value as { id: string }).id);
    }
    // Malformed requests that carry secrets must not echo them either.
    expect(
      await call('connections:save', { ...saves[0], port: 'x', password: secrets[0], extra: secrets[1] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'input.invalid' },
    });
    await call('connections:list', {});
    for (const id of ids) await call('connections:get', { id });
    const exported = await call('connections:export', {});
    expect(exported.ok).toBe(true);

    const listed = responses.find((r) => JSON.stringify(r).includes('"connections":[{')) as {
      value: { connections: { hasPassword?: boolean; hasSecret?: boolean }[] };
    };
    expect(listed.value.connections.map((c) => c.hasPassword ?? c.hasSecret)).toEqual([
      true,
      true,
      true,
      true,
    ]);

    const haystacks: [string, Buffer][] = [
      ...filesUnder(dir).map((path): [string, Buffer] => [path, readFileSync(path)]),
      ['responses', Buffer.from(JSON.stringify(responses))],
      ['log', Buffer.from(log.join('\n'))],
    ];
    expect(haystacks.length).toBeGreaterThanOrEqual(5);
    for (const [where, bytes] of haystacks) {
      for (const needle of needles()) {
        expect(bytes.includes(needle), `${where} contains a secret`).toBe(false);
      }
    }
  });

  it.each([
    ['connections:get', { id: 'not-a-uuid' }],
    ['connections:get', {}],
    ['connections:delete', { id: 42 }],
    ['connections:save', { kind: 'activeDirectory' }],
    ['connections:save', { kind: 'printer', name: 'x' }],
    [
      'connections:save',
      { kind: 'microsoftOnline', name: 'x', tenantDomain: 'contoso.com', authMode: 'certificate' },
    ],
    ['connections:export', { ids: ['nope'] }],
    ['connections:import', {}],
    ['connections:list', { all: true }],
  ])('%s with %j is input.invalid', async (channel, payload) => {
    const { call, log } = setUp();
    expect(await call(channel, payload)).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(log.join('\n')).toContain('"handlerCalled":false');
  });

  it('keeps working with an empty store when the file is corrupt, reporting where the original went', async () => {
    const { dir, call } = setUp();
    const { writeFileSync } = await import('node:fs');
    // 0600 as the app writes it: a store file others can read is refused outright (rule 8).
    writeFileSync(join(dir, 'connections.json'), '{"version":1,"connections":[{"id":', { mode: 0o600 });
    const listed = await call('connections:list', {});
    expect(listed).toMatchObject({
      ok: true,
      value: { connections: [], notice: { code: 'store.corrupt', detail: { movedTo: expect.any(String) } } },
    });
    const movedTo = (listed as { value: { notice: { detail: { movedTo: string } } } }).value.notice.detail
      .movedTo;
    expect(readFileSync(movedTo, 'utf8')).toBe('{"version":1,"connections":[{"id":');
    expect(
      await call('connections:save', {
        kind: 'activeDirectory',
        name: 'After the crash',
        domain: 'contoso.com',
        targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }],
        bindUser: 'svc',
      }),
    ).toMatchObject({ ok: true });
    expect(await call('connections:list', {})).toMatchObject({
      ok: true,
      value: { connections: [{ name: 'After the crash' }] },
    });
  });
});
