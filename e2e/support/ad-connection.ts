import { expect, type Locator, type Page } from '@playwright/test';
import type { SambaDcInfo } from '../fixtures/samba/samba-dc';

/**
 * The Active Directory procedure through its wizard: the prerequisite of every Microsoft Online connection.
 * `beforeFinish` may look at the wizard's test result before it is closed.
 */
export async function createAdConnectionThroughWizard(
  page: Page,
  dc: SambaDcInfo,
  beforeFinish?: (wizard: Locator) => Promise<void>,
): Promise<void> {
  const svc = dc.users.find((user) => user.name === 'svc-idm');
  await page.getByRole('button', { name: 'New Connection...' }).click();
  await page.getByRole('menuitem', { name: 'Microsoft Active Directory' }).click();
  const wizard = page.getByRole('dialog', { name: 'New Microsoft Active Directory connection' });
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('textbox', { name: 'Domain name' }).fill(dc.domain);
  await wizard.getByRole('textbox', { name: 'Domain controller' }).fill('127.0.0.1');
  await wizard.getByRole('textbox', { name: 'DNS server (optional)' }).fill(dc.dnsServer);
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('textbox', { name: 'User name' }).fill(svc?.upn ?? '');
  await wizard.getByLabel('Password').fill(svc?.password ?? '');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Trust this certificate' }).click();
  await expect(wizard.getByText('The connection works.')).toBeVisible();
  await beforeFinish?.(wizard);
  await wizard.getByRole('button', { name: 'Finish' }).click();
  await expect(wizard).toBeHidden();
}
