import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { killAgents, startAgent } from './fixtures/agent-process';

// The Remote Agent's own outgoing TLS (TestConnection signs in to the tenant) trusts the host's operating
// system store unless it is started with --no-system-trust. The agent runs as a child process whose system
// store is a file holding the Entra emulator's CA; the connection it is given names no CA.
const entra = inject('entra');
const tenant = entra.tenants[0];
const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
afterAll(killAgents);

async function startTrustingAgent(extra: string[]): Promise<{ url: string; key: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cu-agent-trust-'));
  const store = join(mkdtempSync(join(tmpdir(), 'cu-agent-store-')), 'ca-certificates.crt');
  copyFileSync(entra.caFile, store);
  const agent = await startAgent(['--port', '0', '--data', dataDir, ...extra], {
    ...process.env,
    SSL_CERT_FILE: store,
    SSL_CERT_DIR: mkdtempSync(join(tmpdir(), 'cu-empty-certs-')),
    NODE_EXTRA_CA_CERTS: '',
  });
  return { url: agent.ready.url, key: readFileSync(join(dataDir, 'api-key'), 'utf8').trim() };
}

async function testConnection(agent: { url: string; key: string }) {
  const headers = { authorization: `Bearer ${agent.key}`, 'content-type': 'application/json' };
  const put = await fetch(`${agent.url}/api/connections/${tenant?.domain}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({
      authMode: 'password',
      userPrincipalName: admin?.upn,
      secret: admin?.password,
      authorityHost: entra.url,
      graphHost: entra.url,
    }),
  });
  expect(put.status).toBe(200);
  const tested = await fetch(`${agent.url}/api/Connections/TestConnection`, {
    method: 'POST',
    headers,
    body: JSON.stringify(tenant?.domain),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: tested.status, body: (await tested.json()) as Record<string, unknown> };
}

describe('the Remote Agent and the operating system certificate store', () => {
  it('signs in through a CA that only the host’s store holds', async () => {
    const tested = await testConnection(await startTrustingAgent([]));
    expect(tested).toMatchObject({ status: 200, body: { id: tenant?.tenantId } });
  }, 60_000);

  it('refuses that CA when started with --no-system-trust (entra.tlsUntrusted)', async () => {
    const tested = await testConnection(await startTrustingAgent(['--no-system-trust']));
    expect(tested.status).toBeGreaterThanOrEqual(400);
    expect(tested.body).toMatchObject({ code: 'entra.tlsUntrusted' });
  }, 60_000);
});
