import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { ConnectionSaveRequest } from '../../shared/common/connections/save-request';
import { setupAppSteps } from '../../shared/common/entra/setup-app';
import { certificateValidFor } from '../../shared/node/connections/expiry-test-certificate';
import { type OnlineStack, startOnlineStack, useStack } from '../fixtures/online-stack';
import { expectAccessible } from '../support/accessibility';
import { expect, test } from '../support/browser-sign-in-host';
import { expectOnStep, factOf, factText, openAzureAdPage } from '../support/online-wizard';
import { shot } from '../support/screenshot';
import { readStoredConnections, storeBytes } from '../support/stored-connections';

// The user guide's "Set up certificate sign-in for me", "Expires" and "Renew certificate": an administrator signs
// in once in the browser (a second page of the same Chromium, on the HTTPS Entra emulator's pages) and the app
// registers an application with a new certificate, waits until Entra accepts it, saves and tests the connection;
// the panel says when each connection's credentials expire; the edit window rolls the certificate over.

let stack: OnlineStack;
test.beforeAll(async () => {
  stack = await startOnlineStack();
  // Long enough for the waiting step to be seen (and photographed), short enough for a test.
  stack.emulator.updateSettings({ propagationDelayMs: 3000 });
});
test.afterAll(async () => {
  await stack?.stop();
});

const tenant = () => {
  const found = stack.emulator.tenants[0];
  if (!found) throw new Error('the emulator has no tenant');
  return found;
};
const globalAdmin = () => {
  const found = tenant().users.find((user) => user.scenario === 'globalAdmin');
  if (!found) throw new Error('the emulator seed has no Global Administrator');
  return found;
};

const waitingStep = setupAppSteps[5];
const graphPermissions = [
  'Organization.Read.All',
  'Domain.Read.All',
  'RoleManagement.Read.Directory',
  'User.Read.All',
];

/** The administrator on the emulator's pages: password, then the admin consent page if the tenant asks for it. */
async function signInAsAdministrator(signInPage: Page, password: string, upn?: string): Promise<void> {
  if (upn) await signInPage.getByLabel('E-mail').fill(upn);
  await signInPage.getByLabel('Password').fill(password);
  await signInPage.getByRole('button', { name: 'Sign in' }).click();
  const accept = signInPage.getByRole('button', { name: 'Accept' });
  const signedIn = signInPage.getByRole('heading', { name: 'Signed in' });
  await expect(accept.or(signedIn)).toBeVisible({ timeout: 15_000 });
  if (await accept.isVisible()) await accept.click();
  await expect(signedIn).toBeVisible({ timeout: 15_000 });
}

/** Waits for the window's animations (a dialog fading in) to end: axe measures contrast as it is painted. */
const settled = (page: Page) =>
  page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished)));

/** A save request as the window sends it, for connections the spec needs in place without a wizard. */
async function saveThroughWindow(page: Page, request: ConnectionSaveRequest): Promise<void> {
  const saved = await page.evaluate(
    (body) => window.connectionUtility?.invoke('connections:save', body),
    request,
  );
  if (!saved?.ok) throw new Error(`connections:save failed: ${JSON.stringify(saved)}`);
}

test('Set up certificate sign-in for me: one admin sign-in, the steps to the end, then Renew certificate', async ({
  host,
}) => {
  test.setTimeout(240_000);
  const { page } = host.app;
  await useStack(host.app, stack, join(await mkdtemp(join(tmpdir(), 'cu-we-')), 'routes.json'));
  const admin = globalAdmin();
  const wizard = await openAzureAdPage(page);
  const steps = wizard.getByRole('list', { name: 'Setup steps' });
  const stepItem = (name: string) => steps.getByRole('listitem').filter({ hasText: name });
  let appId = '';
  let objectId = '';
  let thumbprint = '';

  await test.step('the offer beside the modes says what it does and whom it needs', async () => {
    await wizard.getByRole('textbox', { name: 'Domain name' }).fill(tenant().domain);
    await wizard.getByRole('textbox', { name: /Connection user’s e-mail/ }).fill(admin.upn);
    const offer = wizard.getByRole('region', { name: 'Set up certificate sign-in' });
    await expect(offer).toContainText('Registers an app with a new certificate in your tenant');
    await expect(offer).toContainText('administrator who can register apps');
    await expect(offer.getByRole('radio', { name: 'Browser' })).toBeChecked();
    await expectAccessible(page);
    await offer.getByRole('button', { name: 'Set up certificate sign-in for me' }).click();
  });

  await test.step('the administrator signs in in the browser while the first step waits', async () => {
    const signInPage = await host.systemBrowser.nextPage();
    const opened = host.systemBrowser.opened[0] ?? '';
    expect(opened.startsWith(`${stack.emulator.url}/`)).toBe(true);
    expect(new URL(opened).searchParams.get('login_hint')).toBe(admin.upn);
    await expect(steps.getByRole('listitem')).toHaveCount(setupAppSteps.length);
    await expect(stepItem(setupAppSteps[0])).toHaveAttribute('data-status', 'running');
    await expect(stepItem(setupAppSteps[1])).toHaveAttribute('data-status', 'pending');
    await expect(wizard.getByText('Your browser opened the Microsoft sign-in page.')).toBeVisible();
    await expect(wizard.getByRole('textbox', { name: /If nothing opened/ })).toHaveValue(opened);
    await expect(wizard.getByRole('button', { name: 'Cancel setup' })).toBeVisible();
    await expect(wizard.getByRole('button', { name: 'Next' })).toBeDisabled();
    await expectAccessible(page);
    await expect(signInPage.getByLabel('E-mail')).toHaveValue(admin.upn);
    await signInAsAdministrator(signInPage, admin.password);
  });

  await test.step('the checklist runs through the wait for Entra to the tested connection', async () => {
    await expect(stepItem(waitingStep)).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
    await expect(wizard.getByText('Your browser opened the Microsoft sign-in page.')).toBeHidden();
    for (const done of setupAppSteps.slice(0, 5))
      await expect(stepItem(done)).toHaveAttribute('data-status', 'done');
    await expect(stepItem(setupAppSteps[6])).toHaveAttribute('data-status', 'pending');
    await expect(wizard.getByRole('status').filter({ hasText: 'Step 6 of 8' })).toBeVisible();
    await shot(page, 'procedure-setup-app-progress');

    await expect(wizard.getByText('The certificate connection is saved and works.')).toBeVisible({
      timeout: 90_000,
    });
    appId = await factText(wizard, 'Application (client) id');
    objectId = await factText(wizard, 'Application object id');
    thumbprint = await factText(wizard, 'Certificate thumbprint');
    expect(appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(objectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(thumbprint).toMatch(/^[0-9A-F]{40}$/);
    await expect(factOf(wizard, 'Permissions')).toHaveText(graphPermissions.join(', '));
    await expect(factOf(wizard, 'Valid until')).not.toBeEmpty();
    // Signed in as the app, the test checks the Global Administrator role of the administrator saved with it.
    await expect(factOf(wizard, 'Tenant test')).toContainText(/^Passed: the app signed in to /);
    await expect(factOf(wizard, 'Tenant test')).toContainText(`${admin.upn} holds Global Administrator`);
    await expectAccessible(page);
    await shot(page, 'procedure-setup-app-done');
    // The steps, each with its time, one click away under the summary.
    await wizard.getByRole('button', { name: /^Steps \(8 done\)$/ }).click();
    for (const done of setupAppSteps) await expect(stepItem(done)).toHaveAttribute('data-status', 'done');
    await expect(stepItem(waitingStep)).toContainText(/\d+ (ms|s)$/);
  });

  await test.step('the wizard goes on with the saved connection and saves no second one', async () => {
    // Main saved it: the panel behind the wizard (hidden from the accessibility tree by the modal) lists it already.
    await expect(
      page.getByRole('option', { name: new RegExp(tenant().domain), includeHidden: true }),
    ).toHaveCount(1);
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expectOnStep(wizard, 'Choose Local Domain Controller');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expectOnStep(wizard, 'Configuration Results');
    await expect(factOf(wizard, 'Application (client) id')).toHaveText(appId);
    await expect(wizard.getByRole('list', { name: 'Roles' })).toContainText('Global Administrator');
    await wizard.getByRole('button', { name: 'Finish' }).click();
    await expect(wizard).toBeHidden();

    const row = page.getByRole('option', { name: new RegExp(tenant().domain) });
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('aria-selected', 'true');
    await expect(row).toContainText('Stored');
    await expect(row).toContainText('Passed');
    await expect(row).toContainText(/in 36[45] days/);
    const stored = readStoredConnections(host.app.userDataDir);
    expect(stored.connections).toHaveLength(1);
    expect(stored.connections[0]).toMatchObject({
      authMode: 'certificate',
      clientId: appId,
      tenantDomain: tenant().domain,
      userPrincipalName: admin.upn,
    });
    expect(stored.secrets[stored.connections[0].id]).not.toBeNull();
    expect(storeBytes(host.app.userDataDir)).not.toContain('PRIVATE KEY');
  });

  await test.step('Renew certificate: what will happen, the steps, and the report', async () => {
    const name = `${tenant().domain} (Microsoft 365)`;
    await page.getByRole('option', { name: new RegExp(tenant().domain) }).dblclick();
    const dialog = page.getByRole('dialog', { name });
    const section = dialog.getByRole('region', { name: 'Certificate renewal' });
    await expect(section).toContainText(/The certificate expires in 36[45] days/);
    await section.getByRole('button', { name: 'Renew certificate...' }).click();

    const renew = page.getByRole('alertdialog', { name: 'Renew certificate' });
    await expect(renew).toContainText(`Renewing the certificate of “${name}”`);
    await expect(renew).toContainText(`Registers it on the application ${appId}, proving possession`);
    await expect(renew).toContainText('If it cannot, nothing changes.');
    await expect(renew).toContainText('Only then removes the old certificate');
    // The app set up here may not read its own application object: the object id the setup showed stands in.
    await renew.getByRole('textbox', { name: /Application object id/ }).fill(objectId);
    await settled(page);
    await expectAccessible(page, '[role="alertdialog"]');
    await shot(page, 'procedure-renew-certificate-confirm');
    await renew.getByRole('button', { name: 'Renew certificate' }).click();

    await expect(renew.getByText('The certificate is renewed.')).toBeVisible({ timeout: 90_000 });
    const newThumbprint = await factText(renew, 'New certificate thumbprint');
    expect(newThumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(newThumbprint).not.toBe(thumbprint);
    await expect(factOf(renew, 'Previous thumbprint')).toHaveText(thumbprint);
    await expect(factOf(renew, 'Valid until')).not.toBeEmpty();
    // Settings' agent is the connection's, and this computer has no API key for it: whether it holds the domain is
    // unknown, so the old certificate stays registered (that agent may still sign in with it), and the report
    // says what to do.
    await expect(renew.getByRole('list', { name: 'Remote Agents' })).toContainText(
      `so whether it holds ${tenant().domain} is unknown`,
    );
    await expect(renew.getByText('Left for you to do')).toBeVisible();
    await expectAccessible(page, '[role="alertdialog"]');
    await shot(page, 'procedure-renew-certificate-report');
    await renew.getByRole('button', { name: /^Steps \(\d+\)$/ }).click();
    const renewal = renew.getByRole('list', { name: 'Renewal steps' }).getByRole('listitem');
    await expect(renewal.filter({ hasText: 'Signing in with the new certificate' })).toHaveAttribute(
      'data-status',
      'done',
    );
    await expect(renewal.filter({ hasText: 'Removing the old certificate' })).toHaveAttribute(
      'data-status',
      'skipped',
    );
    await renew.getByRole('button', { name: 'Close' }).click();
    await expect(renew).toBeHidden();

    // The edit window now holds the renewed record: saving it keeps the new certificate and its key.
    await expect(dialog.getByText('Unsaved changes.')).toBeHidden();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const stored = readStoredConnections(host.app.userDataDir);
    expect(stored.connections).toHaveLength(1);
    expect(stored.secrets[stored.connections[0].id]).not.toBeNull();
    expect(stored.connections[0].expiries).toContainEqual(
      expect.objectContaining({ what: 'certificate', source: newThumbprint }),
    );
  });
});

test('a setup that stops at a step names it and the app it made; Retry continues with that app', async ({
  host,
}) => {
  test.setTimeout(120_000);
  const { page } = host.app;
  await useStack(host.app, stack, join(await mkdtemp(join(tmpdir(), 'cu-we-')), 'routes.json'));
  const admin = globalAdmin();
  // Graph fails the first request about the new app's permission grants, as a passing outage would.
  stack.emulator.faults.add({ path: 'appRoleAssign', status: 500, times: 1 });
  const wizard = await openAzureAdPage(page);
  await wizard.getByRole('textbox', { name: 'Domain name' }).fill(tenant().domain);
  await wizard.getByRole('button', { name: 'Set up certificate sign-in for me' }).click();
  await signInAsAdministrator(await host.systemBrowser.nextPage(), admin.password, admin.upn);

  const steps = wizard.getByRole('list', { name: 'Setup steps' });
  const stepItem = (name: string) => steps.getByRole('listitem').filter({ hasText: name });
  const granting = stepItem(setupAppSteps[4]);
  await expect(granting).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
  await expect(granting).toContainText('Microsoft Graph answered 500');
  await expect(stepItem(setupAppSteps[2])).toHaveAttribute('data-status', 'done');
  await expect(stepItem(setupAppSteps[5])).toHaveAttribute('data-status', 'pending');
  await expect(wizard.getByRole('status').filter({ hasText: 'The setup stopped.' })).toBeVisible();
  await expect(wizard).toContainText(`Setting up certificate sign-in stopped at “${setupAppSteps[4]}”`);
  await expect(factOf(wizard, 'Stopped at')).toHaveText(setupAppSteps[4]);
  const appId = await factText(wizard, 'Application (client) id');
  expect(appId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(wizard).toContainText(`(app id ${appId})`);
  const retry = wizard.getByRole('button', { name: 'Retry' });
  await expect(retry).toBeFocused();
  await expect(wizard.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expectAccessible(page);
  await shot(page, 'procedure-setup-app-retry');

  // Retry: the same request, so the administrator signs in once more and the setup goes on with the same app.
  await retry.click();
  await signInAsAdministrator(await host.systemBrowser.nextPage(), admin.password, admin.upn);
  await expect(wizard.getByText('The certificate connection is saved and works.')).toBeVisible({
    timeout: 90_000,
  });
  await expect(factOf(wizard, 'Application (client) id')).toHaveText(appId);
  await expect(wizard).toContainText(
    'This continued the setup that had stopped: nothing was registered twice.',
  );
  await wizard.getByRole('button', { name: /^Steps \(8 done\)$/ }).click();
  await expect(stepItem(setupAppSteps[2])).toContainText('already done');
  await expect(stepItem(setupAppSteps[3])).toContainText('already done');
  expect(readStoredConnections(host.app.userDataDir).connections).toMatchObject([{ clientId: appId }]);
});

test('Cancel setup during the administrator’s sign-in stops it; Change the details goes back to the page', async ({
  host,
}) => {
  const { page } = host.app;
  await useStack(host.app, stack, join(await mkdtemp(join(tmpdir(), 'cu-we-')), 'routes.json'));
  const wizard = await openAzureAdPage(page);
  await wizard.getByRole('textbox', { name: 'Domain name' }).fill(tenant().domain);
  await wizard.getByRole('button', { name: 'Set up certificate sign-in for me' }).click();
  await host.systemBrowser.nextPage();
  await expect(wizard.getByText('Your browser opened the Microsoft sign-in page.')).toBeVisible();
  const cancel = wizard.getByRole('button', { name: 'Cancel setup' });
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(wizard.getByRole('status').filter({ hasText: 'The setup was cancelled.' })).toBeVisible();
  await expect(wizard).toContainText(
    `The setup was cancelled at “${setupAppSteps[0]}”. Nothing was registered in the tenant yet.`,
  );
  await expect(wizard.getByText('Your browser opened the Microsoft sign-in page.')).toBeHidden();
  await expect(wizard.getByRole('button', { name: 'Retry' })).toBeFocused();
  await expectAccessible(page);
  await wizard.getByRole('button', { name: 'Change the details' }).click();
  await expect(wizard.getByRole('textbox', { name: 'Domain name' })).toHaveValue(tenant().domain);
  await expect(wizard.getByRole('button', { name: 'Set up certificate sign-in for me' })).toBeVisible();
  expect(readStoredConnections(host.app.userDataDir).connections).toEqual([]);
});

test('the panel’s Expires column: days left, a labelled warning under 30 days, every entry in the tooltip', async ({
  host,
}) => {
  const { page } = host.app;
  const soon = certificateValidFor(10, 'Expires soon');
  const later = certificateValidFor(400, 'Expires later');
  const certificateConnection = (
    name: string,
    domain: string,
    certificate: { pem: string; keyPem: string },
  ) =>
    saveThroughWindow(page, {
      kind: 'microsoftOnline',
      name,
      tenantDomain: domain,
      authMode: 'certificate',
      clientId: randomUUID(),
      certificatePem: certificate.pem,
      secret: certificate.keyPem,
    });
  await certificateConnection('Fabrikam (certificate ends soon)', 'fabrikam.test', soon);
  await certificateConnection('Contoso (certificate renewed)', 'contoso.test', later);
  await saveThroughWindow(page, {
    kind: 'microsoftOnline',
    name: 'Tailspin (browser sign-in)',
    tenantDomain: 'tailspin.test',
    authMode: 'browser',
    userPrincipalName: 'admin@tailspin.test',
  });
  await page.reload();

  const row = (name: string) => page.getByRole('option', { name: new RegExp(name) });
  const warning = row('Fabrikam');
  await expect(warning).toContainText('in 9 days');
  // Not colour alone: the icon is labelled, and the row's name says it.
  await expect(warning).toHaveAccessibleName(/Expires soon in 9 days/);
  await expect(warning.locator('[data-expiry="warning"]')).toBeVisible();
  await expect(warning).toHaveAccessibleDescription(/Certificate: expires in 9 days/);
  await expect(row('Contoso')).toContainText('in 399 days');
  await expect(row('Contoso').locator('[data-expiry="ok"]')).toBeVisible();
  await expect(row('Contoso')).not.toHaveAccessibleName(/Expires soon/);
  await expect(row('Tailspin')).toContainText('unknown');

  await warning.locator('[data-expiry]').hover();
  const tooltip = page.getByRole('tooltip');
  await expect(tooltip).toContainText('Certificate: expires in 9 days');
  await expect(tooltip).toContainText(/[0-9A-F]{40}/);
  await expectAccessible(page, 'main');
  await shot(page, 'procedure-expires-column');

  // From the keyboard: the list reads the selected row's expiries as its description.
  await page.getByRole('listbox', { name: 'Connections' }).focus();
  await page.keyboard.press('Home');
  const first = page.getByRole('option').first();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(first).toHaveAccessibleDescription(/^Expiries: /);
});
