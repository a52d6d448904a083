import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../fixtures/app-fixture';
import { expectAccessible } from '../support/accessibility';
import { shot } from '../support/screenshot';

const storedSettings = async (userDataDir: string) =>
  JSON.parse(await readFile(join(userDataDir, 'settings.json'), 'utf8'));

test('Settings: main’s Save dialog chooses the routes file; the default Remote Agent; bad values refused', async ({
  app,
}) => {
  const { page } = app;
  const defaultRoutes = join(app.userDataDir, 'workflow-engine', 'routes.json');
  await page.getByRole('button', { name: 'Settings...' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const routes = dialog.getByRole('textbox', { name: 'Workflow Engine routes file' });
  await expect(routes).toBeFocused();
  await expect(routes).toHaveValue(defaultRoutes);
  await expect(routes).not.toBeEditable();
  await expect(dialog.getByRole('button', { name: 'Use default' })).toBeDisabled();
  await expectAccessible(page);
  await shot(page, 'settings');

  // Keyboard only: Tab to Choose..., Enter; main's dialog (the stand-in here) answers with a file.
  const chosen = join(await mkdtemp(join(tmpdir(), 'cu-e2e-we-')), 'we', 'routes.json');
  await app.answerSaveDialog(chosen);
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Choose...' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(routes).toHaveValue(chosen);
  await expect(dialog.getByText(/Chosen here; a new choice applies at once/)).toBeVisible();
  expect((await storedSettings(app.userDataDir)).workflowEngineRoutesFile).toBe(chosen);

  // Cancel in the dialog changes nothing.
  await app.answerSaveDialog(null);
  await dialog.getByRole('button', { name: 'Choose...' }).click();
  await expect(routes).toHaveValue(chosen);

  // A file that is not a routes file is refused with why, never with what it holds.
  const notRoutes = join(await mkdtemp(join(tmpdir(), 'cu-e2e-creds-')), '.git-credentials');
  await writeFile(notRoutes, 'https://alice:ghp_Q7zxE2eMarker@github.example\n');
  await app.answerSaveDialog(notRoutes);
  await dialog.getByRole('button', { name: 'Choose...' }).click();
  const refusal = dialog.getByText('The routes file was not changed.');
  await expect(refusal).toBeVisible();
  await expect(dialog).toContainText(`Repair ${notRoutes}`);
  await expect(dialog).not.toContainText('ghp_Q7zx');
  await expect(routes).toHaveValue(chosen);

  await dialog.getByRole('textbox', { name: 'Remote Agent port' }).fill('70000');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Too big: expected number to be <=65535')).toBeVisible();
  await expect(dialog).toBeVisible();

  await dialog.getByRole('textbox', { name: 'Remote Agent port' }).fill('40443');
  await dialog.getByRole('textbox', { name: 'Remote Agent host' }).fill('idm-host.contoso.test');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(await storedSettings(app.userDataDir)).toMatchObject({
    version: 2,
    workflowEngineRoutesFile: chosen,
    remoteAgent: { host: 'idm-host.contoso.test', port: 40443 },
  });

  // Cancel with edits asks first; Discard keeps the stored settings.
  await page.getByRole('button', { name: 'Settings...' }).click();
  await expect(routes).toHaveValue(chosen);
  await dialog.getByRole('textbox', { name: 'Remote Agent host' }).fill('elsewhere.contoso.test');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page
    .getByRole('alertdialog', { name: 'Discard changes?' })
    .getByRole('button', { name: 'Discard' })
    .click();
  await expect(dialog).toBeHidden();
  expect((await storedSettings(app.userDataDir)).remoteAgent.host).toBe('idm-host.contoso.test');

  // Use default forgets the chosen file at once.
  await page.getByRole('button', { name: 'Settings...' }).click();
  await dialog.getByRole('button', { name: 'Use default' }).click();
  await expect(routes).toHaveValue(defaultRoutes);
  await expect(dialog.getByRole('button', { name: 'Use default' })).toBeDisabled();
  expect(await storedSettings(app.userDataDir)).not.toHaveProperty('workflowEngineRoutesFile');
});

test('a window request that names the routes file is refused, and main never writes there', async ({
  app,
}) => {
  const { page } = app;
  const target = join(await mkdtemp(join(tmpdir(), 'cu-e2e-evil-')), 'made-by-main', 'routes.json');
  // What a compromised window could send: the contract's types no longer let a caller write it.
  const result = await page.evaluate((path) => {
    const request: unknown = { workflowEngineRoutesFile: path };
    return window.connectionUtility?.invoke('settings:save', request as Record<string, never>);
  }, target);
  expect(result).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
  // The panel may list connections meanwhile (start-up, live refresh): look at this channel's traces only.
  const saves = app.traces().filter((trace) => trace.channel === 'settings:save');
  expect(saves).toHaveLength(1);
  expect(saves[0]).toMatchObject({
    channel: 'settings:save',
    outcome: 'invalidRequest',
    handlerCalled: false,
  });
  await expect(readFile(join(app.userDataDir, 'settings.json'), 'utf8')).rejects.toThrow();
});
