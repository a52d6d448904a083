import { expect, type Locator, type Page } from '@playwright/test';

/** New Connection... → Microsoft Online → past Welcome (once its checks settled), on Provide Azure AD Information. */
export async function openAzureAdPage(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'New Connection...' }).click();
  await page.getByRole('menuitem', { name: 'Microsoft Online' }).click();
  const wizard = page.getByRole('dialog', { name: 'New Microsoft Online connection' });
  await expect(wizard.locator('[data-check="agent"]')).not.toHaveAttribute('data-state', 'checking');
  await wizard.getByRole('button', { name: 'Next' }).click();
  return wizard;
}

/** The wizard's step list marks `title` as the current step. */
export const expectOnStep = (wizard: Locator, title: string) =>
  expect(
    wizard.getByRole('list', { name: 'Steps' }).getByRole('listitem').filter({ hasText: title }),
  ).toHaveAttribute('aria-current', 'step');

/** The value a Facts list (label → value) shows for `label`. */
export const factOf = (scope: Locator, label: string) =>
  scope
    .locator('dt')
    .filter({ hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
    .locator('xpath=following-sibling::dd[1]');

/** That value's text, trimmed. */
export const factText = async (scope: Locator, label: string) =>
  ((await factOf(scope, label).textContent()) ?? '').trim();
