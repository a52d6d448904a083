import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/app-fixture';
import { type Emulator, startEntraEmulator } from '../fixtures/entra-emulator/emulator';
import { defaultSeed } from '../fixtures/entra-emulator/seed';
import { type RemoteAgentProcess, startRemoteAgent } from '../fixtures/online-stack';
import { expectAccessible } from '../support/accessibility';
import { shot } from '../support/screenshot';
import { readStoredConnections } from '../support/stored-connections';

// The user guide's Remote Agent over HTTPS (docs/user-guide.md#remote-agent-over-https), in the real window: real
// agent processes serving their own certificates on loopback, the Entra emulator behind them. First contact shows
// the certificate and pins it on the admin's word; a new certificate on the same address is refused until trusted.

let emulator: Emulator;
let caPem = '';
const agents: RemoteAgentProcess[] = [];
/** Data folders this spec made itself (startRemoteAgent leaves a caller's folder to the caller). */
const dataDirs: string[] = [];

test.beforeAll(async () => {
  emulator = await startEntraEmulator({ seed: defaultSeed });
  caPem = await readFile(emulator.caFile, 'utf8');
});
test.afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  await emulator?.stop();
});

async function agentWithTls(options: { port?: number; dataDir?: string } = {}): Promise<RemoteAgentProcess> {
  const agent = await startRemoteAgent({ ...options, args: ['--tls'] });
  agents.push(agent);
  if (!agent.certificateFingerprint) throw new Error('an agent started with --tls announced no fingerprint');
  return agent;
}

const tenant = () => {
  const found = emulator.tenants[0];
  if (!found) throw new Error('the emulator has no tenant');
  return found;
};
const admin = () => {
  const found = tenant().users.find((user) => user.scenario === 'globalAdmin');
  if (!found) throw new Error('no Global Administrator in the seed');
  return found;
};

const name = 'Contoso over HTTPS';

/** A saved password connection for the tenant's admin whose agent is 127.0.0.1:port, saved as new ones are: http. */
async function savedConnection(page: Page, port: number): Promise<void> {
  const saved = await page.evaluate(
    (request) => window.connectionUtility?.invoke('connections:save', request),
    {
      kind: 'microsoftOnline' as const,
      name,
      tenantDomain: tenant().domain,
      authMode: 'password' as const,
      userPrincipalName: admin().upn,
      secret: admin().password,
      authorityHost: emulator.url,
      graphHost: emulator.url,
      caPem,
      remoteAgent: { host: '127.0.0.1', port, useTls: false },
    },
  );
  if (!saved?.ok) throw new Error(JSON.stringify(saved));
  await page.reload();
}

async function openAgentTab(page: Page): Promise<Locator> {
  await page.getByRole('option', { name: new RegExp(name) }).dblclick();
  const dialog = page.getByRole('dialog', { name });
  await dialog.getByRole('tab', { name: 'Remote Agent' }).click();
  return dialog;
}

test('first contact is trusted on the admin’s word, and a changed certificate is refused until trusted again', async ({
  app,
}) => {
  test.setTimeout(90_000);
  const { page } = app;
  const first = await agentWithTls();
  await savedConnection(page, first.port);
  const dialog = await openAgentTab(page);
  const status = dialog.getByRole('status', { name: 'Agent Status' });
  const tls = dialog.getByRole('switch', { name: 'Use TLS (https)' });
  // 127.0.0.1 is this computer: plain HTTP is the default there, and the admin turns TLS on.
  await expect(tls).not.toBeChecked();
  await tls.click();

  // First contact: nothing vouches for the agent's own certificate; the card shows the one it announced.
  await expect(status).toHaveAttribute('data-agent-status', 'untrusted');
  const card = dialog.getByRole('group', { name: 'Do you trust this Remote Agent?' });
  await expect(card.getByRole('textbox', { name: 'SHA-256 fingerprint' })).toHaveValue(
    first.certificateFingerprint ?? '',
  );
  await expect(card).toContainText('connection-utility-agent fingerprint --data DIR');
  await expect(card).toContainText(`https://127.0.0.1:${first.port}`);
  await expectAccessible(page);
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'agent-tls-first-contact');

  await card.getByRole('button', { name: 'Trust this agent' }).click();
  await expect(card).toBeHidden();
  await expect(status).toHaveAttribute('data-agent-status', 'running');
  await dialog.getByLabel('API key').fill(first.apiKey);
  await dialog.getByRole('button', { name: 'Set' }).click();
  await expect(dialog.getByText('The API key is accepted.')).toBeVisible();

  // https is another agent address: the stored password goes only where it was saved, so it is typed again.
  await expect(dialog.getByText('Saving drops the stored password')).toBeVisible();
  await dialog.getByRole('button', { name: 'Go to General' }).click();
  await dialog.getByRole('textbox', { name: 'Password' }).fill(admin().password);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog.getByText('Unsaved changes.')).toBeHidden();
  await dialog.getByRole('tab', { name: 'Remote Agent' }).click();
  await expect(status).toHaveAttribute('data-agent-status', 'running');

  await dialog.getByRole('button', { name: '1. Update Remote Agent' }).click();
  const updated = dialog.getByText(`The Remote Agent now has the connection for ${tenant().domain}.`);
  await expect(updated).toBeVisible();
  await expect(dialog.getByText(`https://127.0.0.1:${first.port}`, { exact: true })).toBeVisible();
  await dialog.getByRole('button', { name: '2. Test AAD Connection' }).click();
  await expect(dialog.getByText(/The Remote Agent signed in to/)).toBeVisible({ timeout: 15_000 });
  await expect(dialog.getByText(tenant().tenantId).first()).toBeVisible();
  const stored = readStoredConnections(app.userDataDir).connections[0];
  expect(stored.remoteAgent).toEqual({
    host: '127.0.0.1',
    port: first.port,
    useTls: true,
    allowInsecure: false,
  });

  // Another agent on the same address with a certificate of its own (its key kept, as a renewal keeps it).
  await first.stop();
  const dataDir = await mkdtemp(join(tmpdir(), 'cu-agent-'));
  dataDirs.push(dataDir);
  await copyFile(join(first.dataDir, 'api-key'), join(dataDir, 'api-key'));
  const second = await agentWithTls({ port: first.port, dataDir });
  expect(second.certificateFingerprint).not.toBe(first.certificateFingerprint);
  await dialog.getByRole('button', { name: 'Refresh' }).click();

  await expect(status).toHaveAttribute('data-agent-status', 'certificate changed');
  const warning = dialog.getByRole('group', { name: 'The Remote Agent’s certificate has changed' });
  await expect(warning.getByRole('textbox', { name: 'Trusted until now' })).toHaveValue(
    first.certificateFingerprint ?? '',
  );
  await expect(warning.getByRole('textbox', { name: 'Presented now' })).toHaveValue(
    second.certificateFingerprint ?? '',
  );
  await expect(warning).toContainText('someone may be intercepting the connection');
  await expect(dialog.getByRole('button', { name: '1. Update Remote Agent' })).toBeEnabled();
  await expectAccessible(page);
  await warning.scrollIntoViewIfNeeded();
  await shot(page, 'agent-tls-certificate-changed');

  // Nothing reaches the changed agent before the admin trusts it: Update is refused with the same warning.
  await dialog.getByRole('button', { name: '1. Update Remote Agent' }).click();
  await expect(dialog.getByText(/1\. Update Remote Agent failed: .*another certificate/)).toBeVisible();

  await warning.getByRole('button', { name: 'Trust the new certificate' }).click();
  await expect(warning).toBeHidden();
  await expect(status).toHaveAttribute('data-agent-status', 'running');
  await expect(dialog.getByText('The API key is accepted.')).toBeVisible();
  await dialog.getByRole('button', { name: '1. Update Remote Agent' }).click();
  await expect(updated).toBeVisible();
});

test('TLS follows the host until the admin sets it; plain HTTP beyond loopback needs Allow insecure connection', async ({
  app,
}) => {
  const { page } = app;
  // Nothing listens there once it stops: every check below stays on this computer and finds no agent.
  const stopped = await startRemoteAgent();
  await stopped.stop();
  await savedConnection(page, stopped.port);
  const dialog = await openAgentTab(page);
  const status = dialog.getByRole('status', { name: 'Agent Status' });
  const host = dialog.getByRole('textbox', { name: 'Host' });
  const tls = dialog.getByRole('switch', { name: 'Use TLS (https)' });
  const insecure = dialog.getByRole('switch', { name: 'Allow insecure connection' });
  await expect(tls).not.toBeChecked();

  // 0.0.0.0 is not loopback by name (and needs no DNS): TLS turns on by itself, and back off for localhost.
  await host.fill('0.0.0.0');
  await expect(tls).toBeChecked();
  await expect(insecure).toBeHidden();
  await host.fill('localhost');
  await expect(tls).not.toBeChecked();
  await host.fill('0.0.0.0');
  await expect(tls).toBeChecked();

  // The admin turns it off: main refuses plain HTTP there, the buttons say why, and the red switch appears.
  await tls.click();
  await expect(insecure).toBeVisible();
  await expect(insecure).not.toBeChecked();
  await expect(status).toHaveAttribute('data-agent-status', 'insecure');
  await expect(status).toContainText('Nothing was sent.');
  const test2 = dialog.getByRole('button', { name: '2. Test AAD Connection' });
  await expect(test2).toBeDisabled();
  await test2.hover();
  await expect(page.getByRole('tooltip')).toContainText('Plain HTTP to a Remote Agent on another computer');
  await expectAccessible(page);

  await insecure.click();
  await expect(insecure).toBeChecked();
  await expect(dialog.getByText(/only on a network you trust/)).toBeVisible();
  await expect(status).toHaveAttribute('data-agent-status', 'unreachable');
  await expect(test2).toBeEnabled();
  await expectAccessible(page);
  await shot(page, 'agent-tls-allow-insecure');

  // Saved with the connection.
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog.getByText('Unsaved changes.')).toBeHidden();
  expect(readStoredConnections(app.userDataDir).connections[0].remoteAgent).toEqual({
    host: '0.0.0.0',
    port: stopped.port,
    useTls: false,
    allowInsecure: true,
  });

  // Back on this computer the switch has nothing to allow: it goes, and is saved off. TLS, once the admin set it,
  // stays as set whatever host follows: on for localhost here, where the default would be off.
  await host.fill('127.0.0.1');
  await expect(insecure).toBeHidden();
  await expect(tls).not.toBeChecked();
  await tls.click();
  await host.fill('localhost');
  await expect(tls).toBeChecked();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog.getByText('Unsaved changes.')).toBeHidden();
  expect(readStoredConnections(app.userDataDir).connections[0].remoteAgent).toEqual({
    host: 'localhost',
    port: stopped.port,
    useTls: true,
    allowInsecure: false,
  });
});
