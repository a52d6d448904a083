import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../../cli/run-cli-in-process';
import { type RemoteAgentProcess, startRemoteAgent } from '../../../e2e/fixtures/remote-agent-process';
import type { AppError } from '../../common/errors/app-error';
import type { Result } from '../../common/result';
import { makeTestPki, type TestPki } from '../tls/fixtures/test-pki';
import { createHandlers } from './handlers/create-handlers';
import { nodeHostDependencies } from './node-host-dependencies';
import { createRouter } from './router';

// First contact pins an HTTPS agent, a changed certificate is refused, and neither an untrusted server nor
// plain HTTP beyond loopback ever receives a byte of a request: real agent processes and rogue listeners, all on
// loopback.

const deps = nodeHostDependencies({
  host: 'devHost',
  userDataDir: mkdtempSync(join(tmpdir(), 'cu-ipc-pin-')),
});
const router = createRouter(createHandlers(deps), { operations: deps.operations });
const context = { emit: () => {} };
const cliDeps = nodeHostDependencies({
  host: 'cli',
  userDataDir: mkdtempSync(join(tmpdir(), 'cu-cli-pin-')),
});
const cliRouter = createRouter(createHandlers(cliDeps), { operations: cliDeps.operations });
const cli = (...argv: string[]) => runCliInProcess(cliRouter, argv);

let pki: TestPki;
const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(async () => {
  await deps.connectionStores.close();
  await cliDeps.connectionStores.close();
});

async function agent(options: Parameters<typeof startRemoteAgent>[0] = {}): Promise<RemoteAgentProcess> {
  const started = await startRemoteAgent({ ...options, args: ['--tls', ...(options.args ?? [])] });
  running.push(started.stop);
  return started;
}

/** A TLS server that completes handshakes with the test PKI's leaf and counts every byte a client sends after. */
async function rogueTls(port = 0, host = '127.0.0.1'): Promise<{ port: number; received: () => number }> {
  let received = 0;
  const server = createTlsServer({ cert: pki.leafPem, key: pki.leafKeyPem }, (socket) => {
    socket.on('data', (data: Buffer) => {
      received += data.length;
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((listening) => server.listen(port, host, listening));
  running.push(() => new Promise((closed) => server.close(() => closed())));
  return { port: (server.address() as AddressInfo).port, received: () => received };
}

const failure = (result: Result<unknown>): AppError => {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  return (result as { ok: false; error: AppError }).error;
};

const status = (port: number, extra: Record<string, unknown> = {}) =>
  router.dispatch('agent:status', { host: '127.0.0.1', port, useTls: true, ...extra }, context);

describe('an HTTPS agent is pinned on first contact', () => {
  it('first contact names the certificate; Trust this agent pins it; then the key is accepted and remembered', async () => {
    const served = await agent();
    expect(served.url).toMatch(/^https:\/\//);
    const first = failure(await status(served.port, { apiKey: served.apiKey }));
    expect(first.code).toBe('agent.certificateUntrusted');
    expect(first.detail).toMatchObject({
      url: `https://127.0.0.1:${served.port}`,
      fingerprint: served.certificateFingerprint,
    });
    expect(String(first.detail?.subject)).not.toBe('');
    expect(String(first.detail?.validTo)).not.toBe('');

    // A fingerprint the agent does not present pins nothing.
    const wrong = served.certificateFingerprint?.replace(/^../, (pair) => (pair === 'AA' ? 'BB' : 'AA'));
    const refused = failure(
      await router.dispatch(
        'agent:trustCertificate',
        { host: '127.0.0.1', port: served.port, fingerprint: wrong },
        context,
      ),
    );
    expect(refused).toMatchObject({
      code: 'agent.certificateChanged',
      detail: { confirmedFingerprint: wrong, fingerprint: served.certificateFingerprint },
    });
    expect(failure(await status(served.port)).code).toBe('agent.certificateUntrusted');

    expect(
      await router.dispatch(
        'agent:trustCertificate',
        { host: '127.0.0.1', port: served.port, fingerprint: served.certificateFingerprint },
        context,
      ),
    ).toEqual({
      ok: true,
      value: {
        url: `https://127.0.0.1:${served.port}`,
        fingerprint: served.certificateFingerprint,
        previous: null,
      },
    });
    expect(await status(served.port, { apiKey: served.apiKey })).toMatchObject({
      ok: true,
      value: { url: `https://127.0.0.1:${served.port}`, health: { status: 'ok' }, authorized: true },
    });
    // Remembered: the key and the pin both, without anything typed again.
    expect(await status(served.port)).toMatchObject({ ok: true, value: { authorized: true } });
  });

  it('a changed certificate is refused with both fingerprints, and the stored key reaches no impostor', async () => {
    const original = await agent();
    await router.dispatch(
      'agent:trustCertificate',
      { host: '127.0.0.1', port: original.port, fingerprint: original.certificateFingerprint },
      context,
    );
    expect(await status(original.port, { apiKey: original.apiKey })).toMatchObject({
      ok: true,
      value: { authorized: true },
    });
    const port = original.port;
    await original.stop();

    // An impostor on the same address, with a certificate a CA we would otherwise trust vouches for.
    const impostor = await rogueTls(port);
    const changed = failure(await status(port, { caPem: pki.rootPem }));
    expect(changed).toMatchObject({
      code: 'agent.certificateChanged',
      detail: { pinnedFingerprint: original.certificateFingerprint, url: `https://127.0.0.1:${port}` },
    });
    expect(changed.detail?.fingerprint).not.toBe(original.certificateFingerprint);
    expect(changed.hint).toContain('connection-utility-agent fingerprint');
    expect(impostor.received()).toBe(0);
  });

  it('a renewed agent on the same port is trusted again only by its new fingerprint', async () => {
    const first = await agent();
    const pin = (fingerprint: string | null) =>
      router.dispatch(
        'agent:trustCertificate',
        { host: '127.0.0.1', port: first.port, fingerprint },
        context,
      );
    await pin(first.certificateFingerprint);
    await first.stop();
    const renewed = await agent({ port: first.port });
    expect(renewed.certificateFingerprint).not.toBe(first.certificateFingerprint);
    expect(failure(await status(renewed.port)).code).toBe('agent.certificateChanged');
    expect(await pin(renewed.certificateFingerprint)).toMatchObject({
      ok: true,
      value: { previous: first.certificateFingerprint, fingerprint: renewed.certificateFingerprint },
    });
    expect(await status(renewed.port)).toMatchObject({ ok: true, value: { health: { status: 'ok' } } });
  });
});

describe('what may carry an API key', () => {
  it('an untrusted server completes its handshake but receives not one byte, even with a key typed', async () => {
    const rogue = await rogueTls();
    expect(failure(await status(rogue.port, { apiKey: 'typed-key' })).code).toBe(
      'agent.certificateUntrusted',
    );
    expect(rogue.received()).toBe(0);
  });

  it('a CA the admin gave vouches for the agent without a pin, but only under a name its certificate has', async () => {
    const vouched = await agent({
      args: ['--tls-cert', join(pki.dir, 'leaf.pem'), '--tls-key', join(pki.dir, 'leaf.key')],
    });
    expect(await status(vouched.port, { caPem: pki.rootPem })).toMatchObject({
      ok: true,
      value: { health: { status: 'ok' } },
    });
    // The leaf names localhost and 127.0.0.1, not 127.0.0.2.
    const elsewhere = await rogueTls(0, '127.0.0.2');
    const mismatch = failure(
      await router.dispatch(
        'agent:status',
        { host: '127.0.0.2', port: elsewhere.port, useTls: true, caPem: pki.rootPem, apiKey: 'k' },
        context,
      ),
    );
    expect(mismatch).toMatchObject({
      code: 'agent.certificateUntrusted',
      detail: { reason: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    });
    expect(elsewhere.received()).toBe(0);
  });

  it('plain HTTP beyond loopback is refused before connecting, unless the admin allowed it', async () => {
    let requests = 0;
    const listener: Server = createHttpServer((_request, response) => {
      requests += 1;
      response.end('{}');
    });
    await new Promise<void>((listening) => listener.listen(0, '127.0.0.1', listening));
    running.push(() => new Promise((closed) => listener.close(() => closed())));
    const { port } = listener.address() as AddressInfo;
    // 0.0.0.0 is not a loopback name, yet on Linux a connection to it reaches this listener: had the request
    // left, it would be counted here.
    const refused = failure(
      await router.dispatch(
        'agent:status',
        { host: '0.0.0.0', port, useTls: false, apiKey: 'typed-key' },
        context,
      ),
    );
    expect(refused).toMatchObject({
      code: 'agent.insecureTransport',
      detail: { url: `http://0.0.0.0:${port}` },
    });
    expect(requests).toBe(0);
    await router.dispatch('agent:status', { host: '0.0.0.0', port, allowInsecure: true }, context);
    expect(requests).toBe(1);
  });
});

describe('the CLI pins with --pin', () => {
  it('prints the fingerprint and the --pin to use, pins with it, and refuses a changed certificate', async () => {
    const served = await agent();
    const port = String(served.port);
    const unknown = await cli('agent', 'status', '--host', '127.0.0.1', '--port', port, '--tls');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('Error (agent.certificateUntrusted)');
    expect(unknown.stderr).toContain(`fingerprint: ${served.certificateFingerprint}`);
    expect(unknown.stderr).toContain(`--pin ${served.certificateFingerprint}`);

    const pinned = await cli(
      'agent',
      'status',
      '--host',
      '127.0.0.1',
      '--port',
      port,
      '--tls',
      '--pin',
      String(served.certificateFingerprint).toLowerCase(),
    );
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(pinned.stdout).toContain(`the Remote Agent at https://127.0.0.1:${port} answers`);
    // Pinned for good: no --pin needed any more.
    expect((await cli('agent', 'status', '--host', '127.0.0.1', '--port', port, '--tls')).code).toBe(0);

    await served.stop();
    const renewed = await agent({ port: served.port });
    const changed = await cli('agent', 'status', '--host', '127.0.0.1', '--port', port, '--tls');
    expect(changed.code).not.toBe(0);
    expect(changed.stderr).toContain('Error (agent.certificateChanged)');
    expect(changed.stderr).toContain(`pinnedFingerprint: ${served.certificateFingerprint}`);
    expect(changed.stderr).toContain(`--pin ${renewed.certificateFingerprint}`);
  });

  it('--tls and --insecure-http together are a usage error', async () => {
    const run = await cli('agent', 'status', '--host', '0.0.0.0', '--port', '9', '--tls', '--insecure-http');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--tls and --insecure-http exclude each other');
  });
});
