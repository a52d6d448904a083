import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '../fixtures/app-fixture';
import { expectAccessible } from '../support/accessibility';

test('Settings chooses the Workflow Engine routes file and the default Remote Agent, and refuses bad values', async ({
  app,
}) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Settings...' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const routes = dialog.getByRole('textbox', { name: 'Workflow Engine routes file' });
  await expect(routes).toBeFocused();
  await expect(dialog.getByText(join(app.userDataDir, 'workflow-engine', 'routes.json'))).toBeVisible();
  await expectAccessible(page);

  await routes.fill('relative/routes.json');
  await dialog.getByRole('textbox', { name: 'Remote Agent port' }).fill('70000');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('enter an absolute path')).toBeVisible();
  await expect(dialog).toBeVisible();

  await routes.fill('/srv/workflow-engine/routes.json');
  await dialog.getByRole('textbox', { name: 'Remote Agent port' }).fill('40443');
  await dialog.getByRole('textbox', { name: 'Remote Agent host' }).fill('idm-host.contoso.test');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const stored = JSON.parse(await readFile(join(app.userDataDir, 'settings.json'), 'utf8'));
  expect(stored).toMatchObject({
    version: 1,
    workflowEngineRoutesFile: '/srv/workflow-engine/routes.json',
    remoteAgent: { host: 'idm-host.contoso.test', port: 40443 },
  });

  // Cancel with edits asks first; Discard keeps the stored settings.
  await page.getByRole('button', { name: 'Settings...' }).click();
  await expect(routes).toHaveValue('/srv/workflow-engine/routes.json');
  await routes.fill('/elsewhere/routes.json');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page
    .getByRole('alertdialog', { name: 'Discard changes?' })
    .getByRole('button', { name: 'Discard' })
    .click();
  await expect(dialog).toBeHidden();
  expect(
    JSON.parse(await readFile(join(app.userDataDir, 'settings.json'), 'utf8')).workflowEngineRoutesFile,
  ).toBe('/srv/workflow-engine/routes.json');
});
