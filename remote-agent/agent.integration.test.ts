import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { makeTlsMaterial } from '../e2e/fixtures/tls/tls-material';
import {
  AgentConnectionPutSchema,
  AgentConnectionSchema,
  TestConnectionResponseSchema,
} from '../shared/common/agent/agent-api';
import { httpsRequest } from '../shared/node/entra/https-client';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { killAgents, type RunningAgent, startAgent, stopAgents } from './fixtures/agent-process';
import { legacyFileName, writeLegacyAgentFile } from './fixtures/legacy-agent-json';

// The real agent as a child process on loopback, signing in to the run's Entra emulator.
const entra = inject('entra');
const tenant = entra.tenants[0];
const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
const caPem = readFileSync(entra.caFile, 'utf8');
const root = resolve(import.meta.dirname, '..');

type Running = RunningAgent & { url: string; dataDir: string };

afterAll(killAgents);
// Two agents may share a data folder, but each test counts on its own: stop this test's agents first.
afterEach(stopAgents);

async function start(dataDir: string, extra: string[] = []): Promise<Running> {
  const agent = await startAgent(['--port', '0', '--data', dataDir, ...extra]);
  return { ...agent, url: agent.ready.url, dataDir };
}

const key = (dataDir: string) => readFileSync(join(dataDir, 'api-key'), 'utf8').trim();

async function call(
  agent: Running,
  method: string,
  path: string,
  options: { key?: string; body?: string } = {},
) {
  const response = await fetch(`${agent.url}${path}`, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    // A request caught by the SIGKILL must fail, not hang the test.
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : null,
  };
}

const connection = () =>
  JSON.stringify({
    authMode: 'password',
    userPrincipalName: admin?.upn,
    secret: admin?.password,
    authorityHost: entra.url,
    graphHost: entra.url,
    caPem,
  });

// Several tests start the agent twice (tsx loads its TypeScript each time): more than 5 s on a busy host.
describe('the Remote Agent', { timeout: 20_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cu-agent-'));

  it('keeps a connection across a restart and TestConnection answers 200 with the tenant id', async () => {
    let agent = await start(dataDir);
    expect(statSync(join(dataDir, 'api-key')).mode & 0o777).toBe(0o600);
    expect(await call(agent, 'GET', '/api/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', connections: 0 },
    });
    const put = await call(agent, 'PUT', `/api/connections/${tenant?.domain}`, {
      key: key(dataDir),
      body: connection(),
    });
    expect(put.status).toBe(200);
    expect(AgentConnectionSchema.parse(put.body)).toMatchObject({ domain: tenant?.domain, hasSecret: true });
    expect(JSON.stringify(put.body)).not.toContain(admin?.password ?? '');

    await agent.stop();
    agent = await start(dataDir);
    expect(
      (await call(agent, 'GET', '/api/connections', { key: key(dataDir) })).body.connections,
    ).toHaveLength(1);
    const tested = await call(agent, 'POST', '/api/Connections/TestConnection', {
      key: key(dataDir),
      body: JSON.stringify(tenant?.domain),
    });
    expect(tested.status).toBe(200);
    expect(TestConnectionResponseSchema.parse(tested.body)).toMatchObject({
      id: tenant?.tenantId,
      domain: tenant?.domain,
      globalAdministrator: true,
    });

    const parallel = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(agent, 'POST', '/api/Connections/TestConnection', {
          key: key(dataDir),
          body: JSON.stringify(tenant?.domain),
        }),
      ),
    );
    expect(parallel.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

    // Secrets are sealed at rest and never logged (the log files in logs/ included).
    for (const name of readdirSync(dataDir, { recursive: true, encoding: 'utf8' })) {
      if (!statSync(join(dataDir, name)).isFile()) continue;
      const bytes = readFileSync(join(dataDir, name));
      for (const needle of [admin?.password ?? '', Buffer.from(admin?.password ?? '').toString('base64')]) {
        expect(bytes.includes(needle), name).toBe(false);
      }
    }
    expect(agent.stderr()).not.toContain(admin?.password ?? '');
  });

  it('refuses a missing or wrong key with 401 problem+json, but serves health and Swagger without one', async () => {
    const agent = await start(dataDir);
    for (const key of [undefined, 'wrong']) {
      const answer = await call(agent, 'GET', '/api/connections', key ? { key } : {});
      expect(answer).toMatchObject({
        status: 401,
        type: expect.stringContaining('application/problem+json'),
        body: { code: 'agent.unauthorized' },
      });
    }
    expect((await fetch(`${agent.url}/swagger/`)).status).toBe(200);
    const openApi = (await (await fetch(`${agent.url}/swagger/json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openApi.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/connections',
        '/api/connections/{domain}',
        '/api/Connections/TestConnection',
      ]),
    );
  });

  it('over the network: 429 after 10 wrong keys, 421 for a Host not in --allowed-host', async () => {
    const agent = await start(dataDir, ['--allowed-host', 'agent.test']);
    for (let attempt = 1; attempt <= 10; attempt++)
      expect((await call(agent, 'GET', '/api/connections', { key: 'wrong' })).status).toBe(401);
    const refused = await fetch(`${agent.url}/api/connections`, {
      headers: { authorization: 'Bearer wrong' },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: 'agent.tooManyFailures' });
    // Loopback names over loopback and the listed name are served; a name rebound to this host is not.
    expect((await call(agent, 'GET', '/api/health')).status).toBe(200);
    const { port } = new URL(agent.url);
    const withHost = (host: string) =>
      new Promise<{ status?: number; type?: string }>((done, fail) => {
        httpGet({ host: '127.0.0.1', port, path: '/api/health', headers: { host } }, (response) => {
          response.resume();
          done({ status: response.statusCode, type: response.headers['content-type'] });
        }).on('error', fail);
      });
    expect(await withHost(`agent.test:${port}`)).toMatchObject({ status: 200 });
    expect(await withHost(`rebound.example:${port}`)).toMatchObject({
      status: 421,
      type: expect.stringContaining('application/problem+json'),
    });
  });

  it('answers bad input with 4xx problem+json and stays healthy', async () => {
    const agent = await start(dataDir);
    const k = key(dataDir);
    const cases: [string, string, string | undefined, number][] = [
      ['PUT', `/api/connections/${tenant?.domain}`, '{"authMode":', 400],
      ['PUT', `/api/connections/${tenant?.domain}`, '{"authMode":"password"}', 400],
      [
        'PUT',
        `/api/connections/${tenant?.domain}`,
        JSON.stringify({ secret: 'x'.repeat(70 * 1024), authMode: 'password' }),
        413,
      ],
      ['PUT', '/api/connections/..%2Fx', connection(), 400],
      ['PUT', `/api/connections/${'a'.repeat(300)}`, connection(), 400],
      ['PUT', '/api/connections/%C3%BCnic%C3%B8de.test', connection(), 400],
      ['GET', '/api/connections/', undefined, 400],
      ['POST', '/api/Connections/TestConnection', '"nowhere.test"', 404],
      ['POST', '/api/Connections/TestConnection', '{"domain":"contoso.test"}', 400],
      ['POST', '/api/Connections/TestConnection', '""', 400],
    ];
    for (const [method, path, body, status] of cases) {
      const answer = await call(agent, method, path, { key: k, ...(body !== undefined ? { body } : {}) });
      expect(answer.status, `${method} ${path}`).toBe(status);
      expect(answer.type, `${method} ${path}`).toContain('application/problem+json');
      expect(JSON.stringify(answer.body)).not.toMatch(/at .+\.ts:\d+/);
    }
    expect((await call(agent, 'GET', '/api/health')).body.status).toBe('ok');
  });

  it('reports a sign-in failure as 502 with the AppError', async () => {
    const agent = await start(dataDir);
    const k = key(dataDir);
    const wrong = JSON.stringify({
      authMode: 'password',
      userPrincipalName: admin?.upn,
      secret: 'Wrong-Pa55!',
      authorityHost: entra.url,
      graphHost: entra.url,
      caPem,
    });
    expect(
      (await call(agent, 'PUT', '/api/connections/mail.contoso.test', { key: k, body: wrong })).status,
    ).toBe(200);
    const answer = await call(agent, 'POST', '/api/Connections/TestConnection', {
      key: k,
      body: '"mail.contoso.test"',
    });
    expect(answer).toMatchObject({ status: 502, body: { code: 'entra.invalidCredentials', status: 502 } });
  });

  it('ends concurrent PUTs of one domain with one complete connection, never a mix', async () => {
    const agent = await start(mkdtempSync(join(tmpdir(), 'cu-agent-race-')));
    const k = key(agent.dataDir);
    const users = tenant?.users.map((user) => user.upn) ?? [];
    const bodies = users.map((upn) =>
      JSON.stringify({
        authMode: 'password',
        userPrincipalName: upn,
        secret: `secret-of-${upn}`,
        authorityHost: entra.url,
        graphHost: entra.url,
        caPem,
      }),
    );
    const answers = await Promise.all(
      bodies.map((body) => call(agent, 'PUT', '/api/connections/race.contoso.test', { key: k, body })),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const final = await call(agent, 'GET', '/api/connections/race.contoso.test', { key: k });
    expect(users).toContain(final.body.userPrincipalName);
    expect((await call(agent, 'GET', '/api/connections', { key: k })).body.connections).toHaveLength(1);
  });

  it('on SIGTERM finishes the request in flight and serves no new one', async () => {
    const agent = await start(dataDir);
    const k = key(dataDir);
    await httpsRequest(`${entra.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/v1.0/organization', latencyMs: 1500, times: 1 }),
      caPem,
      timeoutMs: 5000,
      proxy: null,
    });
    const inFlight = call(agent, 'POST', '/api/Connections/TestConnection', {
      key: k,
      body: JSON.stringify(tenant?.domain),
    });
    await new Promise((done) => setTimeout(done, 300));
    // Not awaited: the request in flight must be answered while the agent shuts down.
    void agent.stop();
    await new Promise((done) => setTimeout(done, 100));
    // A reused connection gets the 503 problem; a new one is refused once the listener closed: never served.
    const late = await call(agent, 'GET', '/api/connections', { key: k }).catch(() => ({
      status: 0,
      type: '',
      body: null,
    }));
    expect([503, 0]).toContain(late.status);
    if (late.status === 503) expect(late.type).toContain('application/problem+json');
    expect((await inFlight).status).toBe(200);
  });

  it('serves HTTPS from the given certificate files', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cu-agent-tls-'));
    const tls = makeTlsMaterial(folder, { dns: ['localhost'], ips: ['127.0.0.1'] });
    const agent = await start(mkdtempSync(join(tmpdir(), 'cu-agent-tlsdata-')), [
      '--tls-cert',
      tls.certPath,
      '--tls-key',
      tls.keyPath,
    ]);
    expect(agent.url).toMatch(/^https:/);
    const health = await httpsRequest(`${agent.url}/api/health`, {
      method: 'GET',
      caPem: tls.caPem,
      timeoutMs: 5000,
      proxy: null,
    });
    expect(health.status).toBe(200);
    await expect(
      httpsRequest(`${agent.url}/api/health`, { method: 'GET', timeoutMs: 5000, proxy: null }),
    ).rejects.toThrow();
  });

  it('runs two agents on one data folder: what one saves, the other serves', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'cu-agent-shared-'));
    const first = await start(shared);
    // Before the SQLite store, the second refused to start with store.locked.
    const second = await start(shared);
    const k = key(shared);
    const put = await call(first, 'PUT', `/api/connections/${tenant?.domain}`, {
      key: k,
      body: connection(),
    });
    expect(put.status).toBe(200);
    expect(await call(second, 'GET', '/api/health')).toMatchObject({ body: { connections: 1 } });
    const tested = await call(second, 'POST', '/api/Connections/TestConnection', {
      key: k,
      body: JSON.stringify(tenant?.domain),
    });
    expect(tested).toMatchObject({ status: 200, body: { tenantId: tenant?.tenantId } });
    expect((await call(second, 'DELETE', `/api/connections/${tenant?.domain}`, { key: k })).status).toBe(204);
    expect((await call(first, 'GET', `/api/connections/${tenant?.domain}`, { key: k })).status).toBe(404);
  });

  it('moves an agent-connections.json into the database on first start and says so in its log', async () => {
    const upgraded = mkdtempSync(join(tmpdir(), 'cu-agent-upgrade-'));
    await writeLegacyAgentFile(upgraded, await KeyFileVault.open(upgraded), {
      [tenant?.domain ?? '']: AgentConnectionPutSchema.parse(JSON.parse(connection())),
    });
    const agent = await start(upgraded);
    const k = key(upgraded);
    const tested = await call(agent, 'POST', '/api/Connections/TestConnection', {
      key: k,
      body: JSON.stringify(tenant?.domain),
    });
    expect(tested).toMatchObject({ status: 200, body: { tenantId: tenant?.tenantId } });
    const [movedTo] = readdirSync(upgraded).filter((name) => name.startsWith(`${legacyFileName}.migrated-`));
    expect(movedTo).toMatch(/^agent-connections\.json\.migrated-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    // stderr arrives on its own pipe: wait for the line rather than race the start-up line on stdout.
    for (let tries = 0; tries < 50 && !agent.stderr().includes('store.migrated'); tries += 1)
      await new Promise((done) => setTimeout(done, 20));
    const logged = agent
      .stderr()
      .split('\n')
      .filter((line) => line.includes('store.migrated'))
      .map((line) => JSON.parse(line));
    expect(logged).toEqual([
      expect.objectContaining({
        level: 30,
        code: 'store.migrated',
        msg: expect.stringContaining(movedTo ?? '-'),
      }),
    ]);
    expect(agent.stderr()).not.toContain(admin?.password ?? '');

    // The next start finds nothing to move.
    await agent.stop();
    const again = await start(upgraded);
    expect((await call(again, 'GET', '/api/connections', { key: k })).body.connections).toHaveLength(1);
    await new Promise((done) => setTimeout(done, 100));
    expect(again.stderr()).not.toContain('store.migrated');
  });

  it('tells a second agent which agent holds the data folder: the older one’s process and the folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cu-agent-older-'));
    await writeLegacyAgentFile(folder, await KeyFileVault.open(folder), {});
    // The first agent is one from before the SQLite store: it holds agent-connections.json's lock while it runs.
    const older = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'shared/node/storage/fixtures/lock-holder.ts'),
        join(folder, legacyFileName),
      ],
      { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      await new Promise((locked) => older.stdout?.once('data', locked));
      const refused = await start(folder).then(
        () => '',
        (error: Error) => error.message,
      );
      expect(refused).toContain('agent exited with 1');
      expect(refused).toContain(`An older Remote Agent (process ${older.pid} on ${hostname()})`);
      expect(refused).toContain(`the data folder ${folder}`);
      expect(refused).not.toContain('Connection Utility window');
      expect(existsSync(join(folder, legacyFileName))).toBe(true);
    } finally {
      older.stdin?.end();
      await new Promise((done) => older.once('exit', done));
    }
  });

  it('survives SIGKILL during a storm of PUTs: the store still opens', async () => {
    const storm = mkdtempSync(join(tmpdir(), 'cu-agent-storm-'));
    const agent = await start(storm);
    const k = key(storm);
    const puts = Array.from({ length: 60 }, (_, i) =>
      call(agent, 'PUT', `/api/connections/d${i}.contoso.test`, { key: k, body: connection() }).catch(
        () => null,
      ),
    );
    const killed = delay(150).then(() => agent.kill());
    await Promise.all(puts);
    await killed;
    const again = await start(storm);
    const listed = await call(again, 'GET', '/api/connections', { key: k });
    expect(listed.status).toBe(200);
    expect(readdirSync(storm).filter((name) => name.includes('corrupt'))).toEqual([]);
  }, 30_000);
});
