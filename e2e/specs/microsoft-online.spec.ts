import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/app-fixture';
import { type OnlineStack, startOnlineStack, useStack } from '../fixtures/online-stack';
import { runSamba } from '../fixtures/samba/shared-samba';
import { expectAccessible } from '../support/accessibility';
import { createAdConnectionThroughWizard } from '../support/ad-connection';
import { shot } from '../support/screenshot';
import { readStoredConnections, storeBytes } from '../support/stored-connections';

// The user guide's "Microsoft Online connection" procedure (docs/user-guide.md), end to end in the real window: Samba AD DC, the HTTPS
// Entra emulator (real MSAL), a real Remote Agent process, and the Workflow Engine routes file.

let stack: OnlineStack;
test.beforeAll(async () => {
  stack = await startOnlineStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

const tenant = () => {
  const found = stack.emulator.tenants[0];
  if (!found) throw new Error('the emulator has no tenant');
  return found;
};
const user = (scenario: string) => {
  const found = tenant().users.find((candidate) => candidate.scenario === scenario);
  if (!found) throw new Error(`no ${scenario} user`);
  return found;
};

async function openWizard(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'New Connection...' }).click();
  await page.getByRole('menuitem', { name: 'Microsoft Online' }).click();
  return page.getByRole('dialog', { name: 'New Microsoft Online connection' });
}

/** Password sign-in (no longer the default: the wizard opens on Browser sign-in, see browser-sign-in.spec.ts). */
async function provideAzureAd(wizard: Locator, domain: string, upn: string, password: string): Promise<void> {
  await wizard.getByRole('textbox', { name: 'Domain name' }).fill(domain);
  await wizard.getByRole('radio', { name: 'Password (connection user)' }).check();
  await wizard.getByRole('textbox', { name: /Connection user’s e-mail/ }).fill(upn);
  await wizard.locator('input[type="password"]').fill(password);
}

const routesFileIn = async () => join(await mkdtemp(join(tmpdir(), 'cu-we-')), 'routes.json');

test('the whole Microsoft Online procedure of the user guide', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  const dc = runSamba();
  const routesFile = await routesFileIn();
  await useStack(app, stack, routesFile);
  const admin = user('globalAdmin');

  await createAdConnectionThroughWizard(page, dc);
  await shot(page, 'procedure-01-ad-connection');

  const wizard = await openWizard(page);
  // Welcome: every prerequisite the tool can know is checked live and passes.
  for (const check of ['ad', 'agent', 'entra', 'graph']) {
    await expect(wizard.locator(`[data-check="${check}"]`)).toHaveAttribute('data-state', 'passed');
  }
  await expect(wizard.locator('[data-check="role"]')).toContainText('Verified on the results page');
  await expectAccessible(page);
  await shot(page, 'procedure-02-welcome');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await expect(wizard.getByRole('textbox', { name: 'Domain name' })).toBeFocused();
  await provideAzureAd(wizard, tenant().domain, admin.upn, admin.password);
  await expectAccessible(page);
  await shot(page, 'procedure-03-azure-ad-information');
  await wizard.getByRole('button', { name: 'Next' }).click();

  // Choose Local Domain Controller: the only AD connection is preselected, its DCs discovered and ranked.
  const found = wizard.getByRole('list', { name: 'Domain controllers' });
  await expect(found.getByRole('listitem').first()).toContainText(`${dc.hostName} · ${dc.mainSite}`);
  await expect(found.getByRole('button', { name: `Choose ${dc.deadDc.hostName}` })).toBeDisabled();
  await found.getByRole('button', { name: `Choose ${dc.hostName}` }).click();
  await expect(wizard.getByText(`Domain controller: ${dc.hostName}`)).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'procedure-04-local-domain-controller');
  await wizard.getByRole('button', { name: 'Next' }).click();

  // Configuration Results: the tenant check, with Global Administrator shown.
  await expect(wizard.getByText(tenant().tenantId)).toBeVisible();
  await expect(wizard.getByRole('list', { name: 'Roles' })).toContainText('Global Administrator');
  await expect(wizard.getByText(`${admin.upn} holds the role`)).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'procedure-05-configuration-results');
  await wizard.getByRole('button', { name: 'Finish' }).click();
  await expect(wizard).toBeHidden();

  const row = page.getByRole('option', { name: /Microsoft Online/ });
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(row).toContainText('Passed');
  await shot(page, 'procedure-06-panel');

  // Double-click → Remote Agent tab → 1. Update Remote Agent → 2. Test AAD Connection → Update Agent in WE.
  await row.dblclick();
  const dialog = page.getByRole('dialog', { name: tenant().domain });
  await dialog.getByRole('tab', { name: 'Remote Agent' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Port' })).toHaveValue(String(stack.agent.port));
  await expect(dialog.getByRole('button', { name: '1. Update Remote Agent' })).toBeDisabled();
  await dialog.getByLabel('API key').fill(stack.agent.apiKey);
  await dialog.getByRole('button', { name: 'Set' }).click();
  await expect(dialog.getByRole('status', { name: 'Agent Status' })).toHaveAttribute(
    'data-agent-status',
    'running',
  );
  await expect(dialog.getByText('The API key is accepted.')).toBeVisible();
  await expectAccessible(page);

  await dialog.getByRole('button', { name: '1. Update Remote Agent' }).click();
  await expect(
    dialog.getByText(`The Remote Agent now has the connection for ${tenant().domain}.`),
  ).toBeVisible();
  await shot(page, 'procedure-07-update-remote-agent');

  await dialog.getByRole('button', { name: '2. Test AAD Connection' }).click();
  await expect(dialog.getByText(/The Remote Agent signed in to/)).toBeVisible();
  await expect(dialog.getByText(tenant().tenantId).first()).toBeVisible();
  await shot(page, 'procedure-08-test-aad-connection');

  await dialog.getByRole('button', { name: 'Update Agent in WE' }).click();
  await expect(
    dialog.getByText(`The Workflow Engine now passes ${tenant().domain} to ${stack.agent.url}.`),
  ).toBeVisible();
  await expect(dialog.getByText(routesFile)).toBeVisible();
  const routes = JSON.parse(await readFile(routesFile, 'utf8'));
  expect(routes).toMatchObject({ version: 1, routes: { [tenant().domain]: { agentUrl: stack.agent.url } } });
  await shot(page, 'procedure-09-update-agent-in-we');

  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const stored = readStoredConnections(app.userDataDir);
  const online = stored.connections.find((c: { kind: string }) => c.kind === 'microsoftOnline');
  expect(online).toMatchObject({
    tenantDomain: tenant().domain,
    localDomainController: { host: dc.hostName },
    remoteAgent: { host: '127.0.0.1', port: stack.agent.port },
  });
  expect(routes.routes[tenant().domain].connectionId).toBe(online.id);
  // Sealed: neither the password nor the agent key is anywhere in the store in plaintext.
  const raw = storeBytes(app.userDataDir);
  expect(raw).toContain(tenant().domain);
  expect(raw).not.toContain(admin.password);
  expect(raw).not.toContain(stack.agent.apiKey);
});

/** Page 2 onwards, with the Welcome page passed by keyboard-free clicks. */
async function toAzureAdPage(page: Page): Promise<Locator> {
  const wizard = await openWizard(page);
  await expect(wizard.locator('[data-check="agent"]')).not.toHaveAttribute('data-state', 'checking');
  await wizard.getByRole('button', { name: 'Next' }).click();
  return wizard;
}

test('a user without Global Administrator gets a clear warning on the results page', async ({ app }) => {
  const { page } = app;
  await useStack(app, stack, await routesFileIn());
  const nonAdmin = user('nonAdmin');
  const wizard = await toAzureAdPage(page);
  await provideAzureAd(wizard, tenant().domain, nonAdmin.upn, nonAdmin.password);
  await wizard.getByRole('button', { name: 'Next' }).click();
  // No AD connection in this data folder: the DC step says so, and the wizard can still finish.
  await expect(wizard.getByText('There is no Active Directory connection yet.')).toBeVisible();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByText(`${nonAdmin.upn} is not a Global Administrator`)).toBeVisible();
  await expect(wizard.getByText(/needs the Global Administrator role/)).toBeVisible();
  await expect(wizard.getByRole('list', { name: 'Roles' })).not.toContainText('Global Administrator');
  await expectAccessible(page);
  await shot(page, 'procedure-non-admin-results');
});

test('an MFA user fails with password sign-in (hint: browser sign-in), then passes with device code', async ({
  app,
}) => {
  const { page } = app;
  await useStack(app, stack, await routesFileIn());
  const mfa = user('mfaRequired');
  const wizard = await toAzureAdPage(page);
  await provideAzureAd(wizard, tenant().domain, mfa.upn, mfa.password);
  await wizard.getByRole('button', { name: 'Next' }).click();

  // The failure sits under the field it concerns, and the wizard stays on the page.
  const authentication = wizard.getByRole('radiogroup', { name: 'Authentication' });
  await expect(
    wizard
      .getByText(/Browser sign-in/)
      .filter({ hasText: /multi-factor|MFA/ })
      .first(),
  ).toBeVisible();
  await expect(
    wizard.getByRole('listitem').filter({ hasText: 'Provide Azure AD Information' }),
  ).toHaveAttribute('aria-current', 'step');
  await shot(page, 'procedure-mfa-password-refused');

  await authentication.getByRole('radio', { name: /Device code/ }).check();
  await wizard.getByRole('button', { name: 'Next' }).click();
  // The code itself, not the mode's radio of the same name.
  const code = wizard.getByLabel('Device code', { exact: true }).filter({ hasText: /\S/ });
  await expect(code).toHaveText(/\S+/);
  await expectAccessible(page);
  await shot(page, 'procedure-device-code-shown');
  stack.emulator.approveDeviceCode((await code.textContent()) ?? '', mfa.upn);

  await expect(
    wizard.getByRole('listitem').filter({ hasText: 'Choose Local Domain Controller' }),
  ).toHaveAttribute('aria-current', 'step', { timeout: 15_000 });
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByText(`${mfa.upn} holds the role`)).toBeVisible();
});

test('a tenant with three verified domains gets three connections in one pass', async ({ app }) => {
  const { page } = app;
  await useStack(app, stack, await routesFileIn());
  const admin = user('globalAdmin');
  const wizard = await toAzureAdPage(page);
  await provideAzureAd(wizard, tenant().domain, admin.upn, admin.password);
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Next' }).click();

  const others = tenant().verifiedDomains.filter((domain) => domain !== tenant().domain);
  expect(others).toHaveLength(2);
  const offer = wizard.getByRole('group', { name: 'Also create connections for:' });
  for (const domain of others) await offer.getByRole('checkbox', { name: domain }).check();
  await shot(page, 'procedure-three-domains');
  await wizard.getByRole('button', { name: 'Finish' }).click();
  await expect(wizard).toBeHidden();

  const rows = page.getByRole('option', { name: /Microsoft Online/ });
  await expect(rows).toHaveCount(3);
  for (const domain of [tenant().domain, ...others]) {
    await expect(
      page.getByRole('option', { name: new RegExp(`Microsoft Online ${domain.replaceAll('.', '\\.')}\\b`) }),
    ).toContainText('Passed');
  }
  const stored = readStoredConnections(app.userDataDir);
  expect(stored.connections.map((c: { tenantDomain: string }) => c.tenantDomain).sort()).toEqual(
    [tenant().domain, ...others].sort(),
  );
});

/** A saved Microsoft Online connection for the tenant's admin, pointing at the given agent port. */
async function savedConnection(page: Page, agentPort: number): Promise<string> {
  const admin = user('globalAdmin');
  const saved = await page.evaluate(
    (request) => window.connectionUtility?.invoke('connections:save', request),
    {
      kind: 'microsoftOnline' as const,
      name: tenant().domain,
      tenantDomain: tenant().domain,
      authMode: 'password' as const,
      userPrincipalName: admin.upn,
      secret: admin.password,
      authorityHost: stack.emulator.url,
      graphHost: stack.emulator.url,
      caPem: stack.caPem,
      remoteAgent: { host: '127.0.0.1', port: agentPort, useTls: false },
    },
  );
  if (!saved?.ok) throw new Error(JSON.stringify(saved));
  await page.reload();
  return saved.value.id;
}

async function openAgentTab(page: Page): Promise<Locator> {
  await page.getByRole('option', { name: /Microsoft Online/ }).dblclick();
  const dialog = page.getByRole('dialog', { name: tenant().domain });
  await dialog.getByRole('tab', { name: 'Remote Agent' }).click();
  return dialog;
}

test('with the agent stopped: status unreachable with the hint, clear errors, nothing saved half-way', async ({
  app,
}) => {
  const { page } = app;
  const routesFile = await routesFileIn();
  await useStack(app, stack, routesFile);
  const stopped = await (await import('../fixtures/online-stack')).startRemoteAgent();
  await stopped.stop();
  await savedConnection(page, stopped.port);

  const dialog = await openAgentTab(page);
  const status = dialog.getByRole('status', { name: 'Agent Status' });
  await expect(status).toHaveAttribute('data-agent-status', 'unreachable');
  // The key from before the agent stopped: remembered even though the agent cannot confirm it now.
  await dialog.getByLabel('API key').fill(stopped.apiKey);
  await dialog.getByRole('button', { name: 'Set' }).click();
  await expect(status).toHaveAttribute('data-agent-status', 'unreachable');
  const before = readStoredConnections(app.userDataDir);
  await expect(status).toContainText('npm run agent');
  await expectAccessible(page);
  await shot(page, 'procedure-agent-stopped');

  await dialog.getByRole('button', { name: '1. Update Remote Agent' }).click();
  await expect(
    dialog.getByText(/1\. Update Remote Agent failed: The Remote Agent at .* did not answer/),
  ).toBeVisible();
  await dialog.getByRole('button', { name: '2. Test AAD Connection' }).click();
  await expect(
    dialog.getByText(/2\. Test AAD Connection failed: The Remote Agent at .* did not answer/),
  ).toBeVisible();

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  // Nothing changed but the failed test the panel shows: same connection, same secret, and no route written.
  const after = readStoredConnections(app.userDataDir);
  const { lastTest, ...connection } = after.connections[0];
  expect(lastTest).toMatchObject({ ok: false, code: 'agent.unreachable' });
  expect({ ...after, connections: [connection] }).toEqual(before);
  await expect(readFile(routesFile, 'utf8')).rejects.toThrow();
});

test('a wrong agent key shows unauthorized with its hint, and the buttons say why', async ({ app }) => {
  const { page } = app;
  await useStack(app, stack, await routesFileIn());
  await savedConnection(page, stack.agent.port);
  const dialog = await openAgentTab(page);
  const status = dialog.getByRole('status', { name: 'Agent Status' });
  await expect(status).toHaveAttribute('data-agent-status', 'running');
  await expect(status).toContainText('No API key is set for this agent yet');
  await expect(dialog.getByRole('button', { name: '1. Update Remote Agent' })).toBeDisabled();

  await dialog.getByLabel('API key').fill('not-the-key');
  await dialog.getByRole('button', { name: 'Set' }).click();
  await expect(status).toHaveAttribute('data-agent-status', 'unauthorized');
  await expect(status).toContainText('The API key was rejected');
  await shot(page, 'procedure-agent-unauthorized');
  await dialog.getByRole('button', { name: '2. Test AAD Connection' }).click();
  await expect(dialog.getByText(/2\. Test AAD Connection failed:/)).toBeVisible();
  await expect(dialog.getByText(/API key/).last()).toBeVisible();
});

test('the wizard and the dialog work from the keyboard alone', async ({ app }) => {
  const { page } = app;
  await useStack(app, stack, await routesFileIn());
  const admin = user('globalAdmin');
  await page.getByRole('button', { name: 'New Connection...' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('menuitem', { name: 'Microsoft Online' }).focus();
  await page.keyboard.press('Enter');
  const wizard = page.getByRole('dialog', { name: 'New Microsoft Online connection' });
  await expect(wizard.locator('[data-check="agent"]')).toHaveAttribute('data-state', 'passed');
  await wizard.getByRole('button', { name: 'Next' }).focus();
  await page.keyboard.press('Enter');

  // Focus lands on the first field; Tab walks the form in order; Enter in a field is Next.
  const domain = wizard.getByRole('textbox', { name: 'Domain name' });
  await expect(domain).toBeFocused();
  await page.keyboard.type(tenant().domain);
  await page.keyboard.press('Tab');
  // The mode list starts on Browser sign-in, the first; the arrow keys choose, wrapping round to Password, the last.
  await expect(wizard.getByRole('radio', { name: /Browser sign-in/ })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(wizard.getByRole('radio', { name: /Password/ })).toBeFocused();
  await expect(wizard.getByRole('radio', { name: /Password/ })).toBeChecked();
  await wizard.getByRole('textbox', { name: /Connection user’s e-mail/ }).focus();
  await page.keyboard.type(admin.upn);
  await page.keyboard.press('Tab');
  await expect(wizard.locator('input[type="password"]')).toBeFocused();
  await page.keyboard.type(admin.password);
  await page.keyboard.press('Enter');
  await expect(wizard.getByText('There is no Active Directory connection yet.')).toBeVisible();
  await wizard.getByRole('button', { name: 'Next' }).focus();
  await page.keyboard.press('Enter');
  await expect(wizard.getByText(`${admin.upn} holds the role`)).toBeVisible();
  await wizard.getByRole('button', { name: 'Finish' }).focus();
  await page.keyboard.press('Enter');
  await expect(wizard).toBeHidden();

  // Enter on the selected row opens the dialog; Esc on an unedited dialog closes it; with edits it asks first.
  await page.getByRole('option', { name: /Microsoft Online/ }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: tenant().domain });
  // A tabbed dialog starts on its tab list (arrows switch tabs); Tab enters the page's first field.
  await expect(dialog.getByRole('tab', { name: 'General' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('textbox', { name: 'Connection name' })).toBeFocused();
  await page.keyboard.press('End');
  await expectAccessible(page);
  await page.keyboard.type(' (edited)');
  await page.keyboard.press('Escape');
  const discard = page.getByRole('alertdialog', { name: 'Discard changes?' });
  await expect(discard).toBeVisible();
  await expect(discard.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('textbox', { name: 'Connection name' })).toHaveValue(
    `${tenant().domain} (Microsoft 365) (edited)`,
  );
  // The confirmation must be gone before the next Escape, or a slow machine sends it to the closing alert.
  await expect(discard).toBeHidden();
  await page.keyboard.press('Escape');
  await discard.getByRole('button', { name: 'Discard' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('option', { name: /Microsoft Online/ })).not.toContainText('(edited)');
});
