import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { artifactsDir, expect, test } from '../fixtures/app-fixture';
import { type OnlineStack, startOnlineStack, useStack } from '../fixtures/online-stack';
import { runSamba } from '../fixtures/samba/shared-samba';
import { expectAccessible } from '../support/accessibility';
import { createAdConnectionThroughWizard } from '../support/ad-connection';

// PRODUCT.md's "Microsoft Online connection" procedure, end to end in the real window: Samba AD DC, the HTTPS
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

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `procedure-${name}.png`) });
}

async function openWizard(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'New Connection...' }).click();
  await page.getByRole('menuitem', { name: 'Microsoft Online' }).click();
  return page.getByRole('dialog', { name: 'New Microsoft Online connection' });
}

async function provideAzureAd(wizard: Locator, domain: string, upn: string, password: string): Promise<void> {
  await wizard.getByRole('textbox', { name: 'Domain name' }).fill(domain);
  await wizard.getByRole('textbox', { name: /Connection user’s e-mail/ }).fill(upn);
  await wizard.locator('input[type="password"]').fill(password);
}

const routesFileIn = async () => join(await mkdtemp(join(tmpdir(), 'cu-we-')), 'routes.json');

test('the whole Microsoft Online procedure of PRODUCT.md', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  const dc = runSamba();
  const routesFile = await routesFileIn();
  await useStack(page, stack, routesFile);
  const admin = user('globalAdmin');

  await createAdConnectionThroughWizard(page, dc);
  await shot(page, '01-ad-connection');

  const wizard = await openWizard(page);
  // Welcome: every prerequisite the tool can know is checked live and passes.
  for (const check of ['ad', 'agent', 'entra', 'graph']) {
    await expect(wizard.locator(`[data-check="${check}"]`)).toHaveAttribute('data-state', 'passed');
  }
  await expect(wizard.locator('[data-check="role"]')).toContainText('Verified on the results page');
  await expectAccessible(page);
  await shot(page, '02-welcome');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await expect(wizard.getByRole('textbox', { name: 'Domain name' })).toBeFocused();
  await provideAzureAd(wizard, tenant().domain, admin.upn, admin.password);
  await expectAccessible(page);
  await shot(page, '03-azure-ad-information');
  await wizard.getByRole('button', { name: 'Next' }).click();

  // Choose Local Domain Controller: the only AD connection is preselected, its DCs discovered and ranked.
  const found = wizard.getByRole('list', { name: 'Domain controllers' });
  await expect(found.getByRole('listitem').first()).toContainText(`${dc.hostName} · ${dc.mainSite}`);
  await expect(found.getByRole('button', { name: `Choose ${dc.deadDc.hostName}` })).toBeDisabled();
  await found.getByRole('button', { name: `Choose ${dc.hostName}` }).click();
  await expect(wizard.getByText(`Domain controller: ${dc.hostName}`)).toBeVisible();
  await expectAccessible(page);
  await shot(page, '04-local-domain-controller');
  await wizard.getByRole('button', { name: 'Next' }).click();

  // Configuration Results: the tenant check, with Global Administrator shown.
  await expect(wizard.getByText(tenant().tenantId)).toBeVisible();
  await expect(wizard.getByRole('list', { name: 'Roles' })).toContainText('Global Administrator');
  await expect(wizard.getByText(`${admin.upn} holds the role`)).toBeVisible();
  await expectAccessible(page);
  await shot(page, '05-configuration-results');
  await wizard.getByRole('button', { name: 'Finish' }).click();
  await expect(wizard).toBeHidden();

  const row = page.getByRole('option', { name: /Microsoft Online/ });
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(row).toContainText('Passed');
  await shot(page, '06-panel');

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
  await shot(page, '07-update-remote-agent');

  await dialog.getByRole('button', { name: '2. Test AAD Connection' }).click();
  await expect(dialog.getByText(/The Remote Agent signed in to/)).toBeVisible();
  await expect(dialog.getByText(tenant().tenantId).first()).toBeVisible();
  await shot(page, '08-test-aad-connection');

  await dialog.getByRole('button', { name: 'Update Agent in WE' }).click();
  await expect(
    dialog.getByText(`The Workflow Engine now passes ${tenant().domain} to ${stack.agent.url}.`),
  ).toBeVisible();
  await expect(dialog.getByText(routesFile)).toBeVisible();
  const routes = JSON.parse(await readFile(routesFile, 'utf8'));
  expect(routes).toMatchObject({ version: 1, routes: { [tenant().domain]: { agentUrl: stack.agent.url } } });
  await shot(page, '09-update-agent-in-we');

  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const stored = JSON.parse(await readFile(join(app.userDataDir, 'connections.json'), 'utf8'));
  const online = stored.connections.find((c: { kind: string }) => c.kind === 'microsoftOnline');
  expect(online).toMatchObject({
    tenantDomain: tenant().domain,
    localDomainController: { host: dc.hostName },
    remoteAgent: { host: '127.0.0.1', port: stack.agent.port },
  });
  expect(routes.routes[tenant().domain].connectionId).toBe(online.id);
  // Sealed: neither the password nor the agent key is anywhere in the store in plaintext.
  const raw = await readFile(join(app.userDataDir, 'connections.json'), 'utf8');
  expect(raw).not.toContain(admin.password);
  expect(raw).not.toContain(stack.agent.apiKey);
});
