import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { type OnlineStack, startOnlineStack, useStack } from '../fixtures/online-stack';
import { expectAccessible } from '../support/accessibility';
import { expect, test } from '../support/browser-sign-in-host';
import { shot } from '../support/screenshot';
import { readStoredConnections, storeBytes } from '../support/stored-connections';

// The user guide's "Browser sign-in" (docs/user-guide.md): the wizard opens the system browser on the sign-in
// page, a person with MFA signs in there, and the answer comes back to MSAL's loopback listener. Here the
// "system browser" is a second page of the same Chromium, and the sign-in pages are the HTTPS Entra emulator's.

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
/** The seed's user whose sign-in asks for a verification code. */
const mfaUser = () => {
  const found = tenant().users.find((candidate) => candidate.scenario === 'mfaRequired');
  if (!found) throw new Error('the emulator seed has no mfaRequired user');
  return found;
};

const routesFileIn = async () => join(await mkdtemp(join(tmpdir(), 'cu-we-')), 'routes.json');

/** New Connection... → Microsoft Online → past Welcome, on Provide Azure AD Information. */
async function toAzureAdPage(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'New Connection...' }).click();
  await page.getByRole('menuitem', { name: 'Microsoft Online' }).click();
  const wizard = page.getByRole('dialog', { name: 'New Microsoft Online connection' });
  await expect(wizard.locator('[data-check="agent"]')).not.toHaveAttribute('data-state', 'checking');
  await wizard.getByRole('button', { name: 'Next' }).click();
  return wizard;
}

const waiting = (wizard: Locator) => wizard.getByText('Your browser opened the Microsoft sign-in page.');
const onStep = (wizard: Locator, title: string) =>
  expect(wizard.getByRole('listitem').filter({ hasText: title })).toHaveAttribute('aria-current', 'step');

/** On the emulator's pages, as a person: e-mail and password, then the code the authenticator would show. */
async function signInWithMfa(signInPage: Page, user: { upn: string; password: string }): Promise<void> {
  await signInPage.getByLabel('E-mail').fill(user.upn);
  await signInPage.getByLabel('Password').fill(user.password);
  await signInPage.getByRole('button', { name: 'Sign in' }).click();
  const code = signInPage.getByLabel('Verification code');
  await expect(code).toBeVisible();
  // The emulator's control API stands in for the authenticator app.
  const answer = await signInPage.request.get(
    `${stack.emulator.url}/_emulator/mfa/${encodeURIComponent(user.upn)}`,
  );
  expect(answer.ok(), await answer.text()).toBe(true);
  await code.fill(((await answer.json()) as { code: string }).code);
  await signInPage.getByRole('button', { name: 'Verify' }).click();
}

test('a user with MFA signs in in the browser: the wizard opens on it, and goes on by itself', async ({
  host,
}) => {
  test.setTimeout(90_000);
  const { page } = host.app;
  await useStack(host.app, stack, await routesFileIn());
  const mfa = mfaUser();
  const wizard = await toAzureAdPage(page);

  // Browser sign-in is the default, with the reason; there is no secret to type.
  const browserMode = wizard.getByRole('radio', { name: 'Browser sign-in (user with MFA)' });
  await expect(browserMode).toBeChecked();
  await expect(
    wizard.getByText(/Microsoft requires MFA for administrators: sign in in your browser/),
  ).toBeVisible();
  await expect(wizard.locator('input[type="password"]')).toHaveCount(0);

  // From the keyboard: the domain, Tab to the mode (the checked radio), Tab to the e-mail, Enter is Next.
  const domain = wizard.getByRole('textbox', { name: 'Domain name' });
  await expect(domain).toBeFocused();
  await page.keyboard.type(tenant().domain);
  await page.keyboard.press('Tab');
  await expect(browserMode).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(wizard.getByRole('textbox', { name: /Connection user’s e-mail/ })).toBeFocused();
  await page.keyboard.type(mfa.upn);
  await expectAccessible(page);
  await page.keyboard.press('Enter');

  const signInPage = await host.systemBrowser.nextPage();
  const opened = host.systemBrowser.opened[0] ?? '';
  expect(opened.startsWith(`${stack.emulator.url}/`)).toBe(true);
  expect(new URL(opened).searchParams.get('login_hint')).toBe(mfa.upn);
  await expect(waiting(wizard)).toBeVisible();
  await expect(wizard.getByText('Finish signing in there.')).toBeVisible();
  await expect(wizard.getByRole('textbox', { name: /If nothing opened/ })).toHaveValue(opened);
  await expect(wizard.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expectAccessible(page);
  await shot(page, 'procedure-browser-sign-in-waiting');
  // "If nothing opened": the address goes to the clipboard whole.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await wizard.getByRole('button', { name: 'Copy address' }).click();
  await expect(wizard.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(opened);

  // The sign-in page starts with the e-mail from the wizard (the login hint).
  await expect(signInPage.getByLabel('E-mail')).toHaveValue(mfa.upn);
  await signInPage.getByLabel('Password').fill(mfa.password);
  await shot(signInPage, 'procedure-browser-sign-in');
  await signInWithMfa(signInPage, mfa);
  await expect(signInPage.getByRole('heading', { name: 'Signed in' })).toBeVisible();

  await onStep(wizard, 'Choose Local Domain Controller');
  await expect(waiting(wizard)).toBeHidden();
  await expect(wizard.getByText('There is no Active Directory connection yet.')).toBeVisible();
  await wizard.getByRole('button', { name: 'Next' }).click();
  // The seed gives this user Global Administrator: the results page says it holds the role.
  await expect(wizard.getByText(`${mfa.upn} holds the role`)).toBeVisible();
  await expect(wizard.getByRole('list', { name: 'Roles' })).toContainText('Global Administrator');
  await expect(wizard.getByText('Browser sign-in (user with MFA)')).toBeVisible();
  await wizard.getByRole('button', { name: 'Finish' }).click();
  await expect(wizard).toBeHidden();

  // Saved with the user and no secret: nothing of the password anywhere in the store.
  const stored = readStoredConnections(host.app.userDataDir);
  const online = stored.connections.find((c: { kind: string }) => c.kind === 'microsoftOnline');
  expect(online).toMatchObject({
    authMode: 'browser',
    userPrincipalName: mfa.upn,
    tenantDomain: tenant().domain,
  });
  expect(stored.secrets[online.id]).toBeNull();
  expect(storeBytes(host.app.userDataDir)).not.toContain(mfa.password);

  // A person's sign-in cannot go to the Remote Agent: Update Remote Agent says why.
  await page.getByRole('option', { name: /Microsoft Online/ }).dblclick();
  const dialog = page.getByRole('dialog', { name: tenant().domain });
  await dialog.getByRole('tab', { name: 'Remote Agent' }).click();
  await dialog.getByLabel('API key').fill(stack.agent.apiKey);
  await dialog.getByRole('button', { name: 'Set' }).click();
  await expect(dialog.getByText('The API key is accepted.')).toBeVisible();
  const update = dialog.getByRole('button', { name: '1. Update Remote Agent' });
  await expect(update).toBeDisabled();
  await update.hover();
  await expect(page.getByRole('tooltip')).toContainText('cannot run unattended on the agent');
});

test('Cancel sign-in while the browser is open ends it as cancelled, and Next signs in again', async ({
  host,
}) => {
  test.setTimeout(90_000);
  const { page } = host.app;
  await useStack(host.app, stack, await routesFileIn());
  const mfa = mfaUser();
  const wizard = await toAzureAdPage(page);
  await wizard.getByRole('textbox', { name: 'Domain name' }).fill(tenant().domain);
  await wizard.getByRole('textbox', { name: /Connection user’s e-mail/ }).fill(mfa.upn);
  await wizard.getByRole('button', { name: 'Next' }).click();

  const abandoned = await host.systemBrowser.nextPage();
  await expect(waiting(wizard)).toBeVisible();
  const cancel = wizard.getByRole('button', { name: 'Cancel sign-in' });
  await cancel.focus();
  await page.keyboard.press('Enter');

  await expect(wizard.getByText('The browser sign-in was cancelled. Next signs in again.')).toBeVisible();
  await expect(waiting(wizard)).toBeHidden();
  await expect(cancel).toBeHidden();
  // The keyboard stays in the wizard: on the notice that replaced Cancel sign-in.
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
    .toContain('The browser sign-in was cancelled.');
  await onStep(wizard, 'Provide Azure AD Information');
  await expectAccessible(page);
  // MSAL's loopback listener is closed: what the abandoned page would send back has nowhere to go.
  const listener = new URL(host.systemBrowser.opened[0] ?? '').searchParams.get('redirect_uri') ?? '';
  expect(listener).toMatch(/^http:\/\/localhost:\d+/);
  await expect(async () => {
    await expect(fetch(listener)).rejects.toThrow();
  }).toPass({ timeout: 5_000 });

  // The wizard is usable again: the fields take input, and Next starts a new sign-in in a new page.
  await expect(wizard.getByRole('textbox', { name: /Connection user’s e-mail/ })).toBeEditable();
  await wizard.getByRole('button', { name: 'Next' }).click();
  const signInPage = await host.systemBrowser.nextPage();
  expect(signInPage).not.toBe(abandoned);
  await expect(waiting(wizard)).toBeVisible();
  await expect(wizard.getByText(/was cancelled/)).toBeHidden();
  await signInWithMfa(signInPage, mfa);
  await onStep(wizard, 'Choose Local Domain Controller');
});
