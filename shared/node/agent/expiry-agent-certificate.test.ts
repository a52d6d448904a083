import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentCertificateFiles } from '../../../remote-agent/agent-certificate-files';
import { startAgent, stopAgents } from '../../../remote-agent/fixtures/agent-process';
import { createHandlers } from '../ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../ipc/node-host-dependencies';
import { createRouter } from '../ipc/router';
import { agentCertificateExpiry } from './expiry-agent-certificate';

// The Remote Agent's certificate expiry, learned from the handshake with a real https agent on loopback.
const dataDir = mkdtempSync(join(tmpdir(), 'cu-agent-expiry-'));
const deps = nodeHostDependencies({
  host: 'cli',
  userDataDir: mkdtempSync(join(tmpdir(), 'cu-agent-expiry-ui-')),
});
const router = createRouter(createHandlers(deps));
let port = 0;
let fingerprint = '';
let validTo = '';

beforeAll(async () => {
  const agent = await startAgent(['--host', '127.0.0.1', '--port', '0', '--data', dataDir, '--tls']);
  port = Number(new URL(agent.ready.url).port);
  fingerprint = String(agent.ready.certificateFingerprint);
  validTo = new Date(
    new X509Certificate(readFileSync(agentCertificateFiles(dataDir).certFile)).validTo,
  ).toISOString();
});
afterAll(async () => {
  await stopAgents();
  await deps.connectionStores.close();
});

describe('the Remote Agent certificate’s expiry', () => {
  it('is taken only from a certificate the call itself would accept', async () => {
    const endpoint = { host: '127.0.0.1', port, useTls: true };
    expect(
      await agentCertificateExpiry(endpoint, { trustSystemStore: false, pinnedFingerprint: fingerprint }),
    ).toMatchObject({
      what: 'agentCertificate',
      notAfter: validTo,
      source: `https://127.0.0.1:${port}`,
    });
    // Neither pinned nor chaining to anything trusted, or pinned to another: nothing learned.
    expect(
      await agentCertificateExpiry(endpoint, { trustSystemStore: false, pinnedFingerprint: null }),
    ).toBeNull();
    expect(
      await agentCertificateExpiry(endpoint, {
        trustSystemStore: false,
        pinnedFingerprint: fingerprint.replace(/^../, '00'),
      }),
    ).toBeNull();
    expect(
      await agentCertificateExpiry(
        { ...endpoint, useTls: false },
        { trustSystemStore: false, pinnedFingerprint: fingerprint },
      ),
    ).toBeNull();
  });

  it('agent:status records it on the connections whose saved agent it is, and on no other', async () => {
    const save = (name: string, agentPort: number) =>
      router.invoke('connections:save', {
        kind: 'microsoftOnline',
        name,
        tenantDomain: `${name}.example`,
        authMode: 'clientSecret',
        clientId: '11111111-2222-4333-8444-555555555555',
        remoteAgent: { host: '127.0.0.1', port: agentPort, useTls: true },
      });
    const mine = await save('mine', port);
    const other = await save('other', port === 65_000 ? 65_001 : 65_000);
    if (!mine.ok || !other.ok) throw new Error('not saved');
    expect(
      await router.invoke('agent:trustCertificate', { host: '127.0.0.1', port, fingerprint }),
    ).toMatchObject({
      ok: true,
    });
    expect(await router.invoke('agent:status', { host: '127.0.0.1', port, useTls: true })).toMatchObject({
      ok: true,
    });
    const read = async (id: string) => {
      const view = await router.invoke('connections:get', { id });
      return view.ok ? view.value.expiries : undefined;
    };
    expect(await read(mine.value.id)).toEqual([
      expect.objectContaining({
        what: 'agentCertificate',
        notAfter: validTo,
        source: `https://127.0.0.1:${port}`,
      }),
    ]);
    expect(await read(other.value.id)).toBeUndefined();
  });
});
