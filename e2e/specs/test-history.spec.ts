import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/app-fixture';
import { type OnlineStack, startOnlineStack, useStack } from '../fixtures/online-stack';
import { expectAccessible } from '../support/accessibility';
import { expectOnStep, openAzureAdPage } from '../support/online-wizard';
import { shot } from '../support/screenshot';

// A connection's test history, end to end: a wizard test saved by Finish, then Remote Agent tests from the edit
// window against the Entra emulator, one slowed down and one refused by Graph (faults injected in the emulator),
// all drawn in the window's Test history tab.

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

/** How many outcomes main keeps for the connection, asked the way the window asks. */
const historyLength = (page: Page, id: string) =>
  page.evaluate(async (connectionId) => {
    const result = await window.connectionUtility?.invoke('connections:testHistory', { id: connectionId });
    return result?.ok ? result.value.entries.length : -1;
  }, id);

test('the Test history tab draws every test of the connection, failures marked, with a table', async ({
  app,
}) => {
  test.setTimeout(120_000);
  const { page } = app;
  await useStack(app, stack, join(await mkdtemp(join(tmpdir(), 'cu-we-')), 'routes.json'));
  const admin = tenant().users.find((user) => user.scenario === 'globalAdmin');
  if (!admin) throw new Error('no Global Administrator in the emulator seed');

  // 1. The wizard's sign-in test, recorded when Finish saves the connection.
  const wizard = await openAzureAdPage(page);
  await wizard.getByRole('textbox', { name: 'Domain name' }).fill(tenant().domain);
  await wizard.getByRole('radio', { name: 'Password (connection user)' }).check();
  await wizard.getByRole('textbox', { name: /Connection user’s e-mail/ }).fill(admin.upn);
  await wizard.locator('input[type="password"]').fill(admin.password);
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expectOnStep(wizard, 'Choose Local Domain Controller');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expectOnStep(wizard, 'Configuration Results');
  await wizard.getByRole('button', { name: 'Finish' }).click();
  await expect(wizard).toBeHidden();
  const row = page.getByRole('option', { name: new RegExp(tenant().domain) });
  await expect(row).toContainText('Passed');
  const id = await page.evaluate(async () => {
    const listed = await window.connectionUtility?.invoke('connections:list', {});
    return listed?.ok ? (listed.value.connections[0]?.id ?? '') : '';
  });
  expect(await historyLength(page, id)).toBe(1);

  // 2. The edit window: its Test history tab shows the wizard's test before anything else ran.
  await row.dblclick();
  const dialog = page.getByRole('dialog', { name: tenant().domain });
  await dialog.getByRole('tab', { name: 'Test history' }).click();
  const chart = dialog.getByRole('img', { name: /^Test history: 1 test on / });
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAccessibleName(/0 failed; the latest passed \(Wizard\)/);

  // 3. Remote Agent tests: passed, slowed by Graph, refused by Graph, passed again.
  await dialog.getByRole('tab', { name: 'Remote Agent' }).click();
  await dialog.getByLabel('API key').fill(stack.agent.apiKey);
  await dialog.getByRole('button', { name: 'Set' }).click();
  await expect(dialog.getByText('The API key is accepted.')).toBeVisible();
  await dialog.getByRole('button', { name: '1. Update Remote Agent' }).click();
  await expect(
    dialog.getByText(`The Remote Agent now has the connection for ${tenant().domain}.`),
  ).toBeVisible();
  const testButton = dialog.getByRole('button', { name: '2. Test AAD Connection' });
  const faults = [
    null,
    { path: '/v1.0/organization', latencyMs: 1500, times: 1 },
    { path: '/v1.0/organization', status: 403, times: 1 },
    null,
  ];
  for (const [index, fault] of faults.entries()) {
    if (fault) stack.emulator.faults.add(fault);
    await testButton.click();
    await expect.poll(() => historyLength(page, id), { timeout: 20_000 }).toBe(index + 2);
    await expect(testButton).toBeEnabled();
  }
  stack.emulator.faults.clear();

  // 4. The chart: five tests, the refused one a red cross, each point's tooltip with its facts.
  await dialog.getByRole('tab', { name: 'Test history' }).click();
  const full = dialog.getByRole('img', { name: /^Test history: 5 tests from / });
  await expect(full).toBeVisible();
  await expect(full).toHaveAccessibleName(/1 failed; the latest passed \(Remote Agent\)/);
  await expect(full.locator('[data-point="passed"]')).toHaveCount(4);
  await expect(full.locator('[data-point="failed"]')).toHaveCount(1);
  const failedTip = (await full.locator('[data-point="failed"] title').textContent()) ?? '';
  expect(failedTip).toMatch(/^.+\nFailed \(.+\) in \d+(\.\d)? m?s\nFrom: Remote Agent\n.+/);
  const firstTip = (await full.locator('[data-point] title').first().textContent()) ?? '';
  expect(firstTip).toContain('From: Wizard');
  expect(firstTip).toContain(`signed in to`);
  // The slowed test is the highest point: smaller y is higher.
  const heights = await full
    .locator('[data-point]')
    .evaluateAll((points) => points.map((point) => Number(point.getAttribute('data-y'))));
  expect(heights).toHaveLength(5);
  expect(Math.min(...heights)).toBe(heights[2]);
  await expectAccessible(page);
  await shot(page, 'test-history-chart');

  // 5. The same entries as a table, reached from the keyboard, newest first.
  const toggle = dialog.getByRole('button', { name: 'Show as a table' });
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('button', { name: 'Hide the table' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  const table = dialog.getByRole('table', { name: 'Test history, newest first' });
  const rows = table.getByRole('row');
  await expect(rows).toHaveCount(6);
  await expect(rows.nth(1)).toContainText('Passed');
  await expect(rows.nth(1)).toContainText('Remote Agent');
  await expect(rows.nth(2)).toContainText(/Failed \(\w+\.\w+\)/);
  await expect(rows.nth(3)).toContainText(/\d\.\d s/);
  await expect(rows.nth(5)).toContainText('Wizard');
  await expectAccessible(page);

  // Dark: the same picture in the theme's colours (Fluent tokens), no other change.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(full).toBeVisible();
  await shot(page, 'test-history-chart-dark');
});
