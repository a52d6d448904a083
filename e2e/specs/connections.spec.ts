import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/app-fixture';
import { exportFile } from '../support/cli-process';

const password = 'Svc-Idm-P@ssw0rd!';

async function createActiveDirectory(page: Page, domain: string, host: string) {
  await page.getByRole('button', { name: 'New Connection...' }).click();
  await page.getByRole('menuitem', { name: 'Microsoft Active Directory' }).click();
  const wizard = page.getByRole('dialog', { name: 'New Microsoft Active Directory connection' });
  await expect(wizard.getByRole('heading', { name: 'Welcome' })).toBeVisible();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('textbox', { name: 'Domain name' }).fill(domain);
  await wizard.getByRole('textbox', { name: 'Domain controller' }).fill(host);
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('textbox', { name: 'User name' }).fill(`svc-idm@${domain}`);
  await wizard.getByLabel('Password').fill(password);
  await wizard.getByRole('button', { name: 'Next' }).click();
  // The test runs against loopback (nothing or the run's DC answers there); Finish saves whatever it says.
  await expect(
    wizard.getByRole('heading', { name: 'Test Results' }).or(wizard.getByText(/^Testing /)),
  ).toBeVisible();
  await wizard.getByRole('button', { name: 'Finish' }).click();
  await expect(wizard).toBeHidden();
}

const imported = ['Fabrikam', 'Northwind', 'Tailspin'].map((name, i) => ({
  kind: 'activeDirectory',
  id: `0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a1${i}`,
  name,
  domain: `${name.toLowerCase()}.com`,
  targets: [{ host: `dc1.${name.toLowerCase()}.com`, port: 636, tls: 'ldaps' }],
  bindUser: 'svc-idm',
  createdAt: '2026-11-26T08:00:00.000Z',
  updatedAt: '2026-11-26T08:00:00.000Z',
  ...(i === 0 ? { lastTest: { ok: true, at: '2026-11-26T07:00:00.000Z', summary: 'Bind succeeded' } } : {}),
}));

test('a connection saved through the wizard is in the panel after a reload, its password sealed', async ({
  app,
}) => {
  const { page } = app;
  await createActiveDirectory(page, 'contoso.com', '127.0.0.1');
  const row = page.getByRole('option', { name: /contoso\.com/ });
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('aria-selected', 'true');

  await page.reload();
  await expect(page.getByRole('option', { name: /contoso\.com/ })).toContainText('Stored');
  await expect(page.getByRole('option', { name: /contoso\.com/ })).toContainText('Never tested');

  for (const name of readdirSync(app.userDataDir)) {
    expect(readFileSync(join(app.userDataDir, name)).includes(password), name).toBe(false);
  }
});

test('the wizard points at the field that is wrong and stays on its step', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'New Connection...' }).click();
  await page.getByRole('menuitem', { name: 'Microsoft Active Directory' }).click();
  const wizard = page.getByRole('dialog');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('textbox', { name: 'Domain name' }).fill('not a domain');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByText('not a valid DNS name')).toBeVisible();
  await expect(wizard.getByText('enter a host name or IP address')).toBeVisible();
  await expect(wizard.getByRole('listitem').filter({ hasText: 'Target Information' })).toHaveAttribute(
    'aria-current',
    'step',
  );
  await wizard.getByRole('button', { name: 'Cancel' }).click();
  await expect(wizard).toBeHidden();
  await expect(page.getByRole('heading', { name: 'No connections yet' })).toBeVisible();
});

test('import, filter, keyboard selection and Delete with confirmation', async ({ app }) => {
  const { page } = app;
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import...' }).click();
  await (await chooser).setFiles(exportFile([...imported, { name: 'Broken', kind: 'activeDirectory' }]));
  const report = page.getByRole('dialog', { name: /Import from/ });
  await expect(report).toContainText('Imported 3 connection(s); skipped 1.');
  await expect(report.getByRole('list', { name: 'Skipped entries' })).toContainText('Entry 4 (Broken)');
  await report.getByRole('button', { name: 'Close' }).click();

  const list = page.getByRole('listbox', { name: 'Connections' });
  await expect(list.getByRole('option')).toHaveCount(3);
  await expect(list.getByRole('option', { name: /Fabrikam/ })).toContainText('Passed');

  await page.getByRole('searchbox', { name: 'Filter connections' }).fill('north');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(page.getByText('1 of 3 connection(s)')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Filter connections' }).fill('');

  await list.focus();
  await page.keyboard.press('End');
  await expect(list.getByRole('option', { name: /Tailspin/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Delete');
  const confirm = page.getByRole('alertdialog', { name: 'Delete connection?' });
  await expect(confirm).toContainText('"Tailspin"');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(list.getByRole('option')).toHaveCount(3);

  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(list.getByRole('option')).toHaveCount(2);
  await page.reload();
  await expect(page.getByRole('listbox', { name: 'Connections' }).getByRole('option')).toHaveCount(2);
  await expect(page.getByRole('option', { name: /Tailspin/ })).toHaveCount(0);
});

test('Export... saves the connections without any secret', async ({ app }) => {
  const { page } = app;
  await createActiveDirectory(page, 'contoso.com', '127.0.0.1');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export...' }).click();
  const file = await (await download).path();
  const text = readFileSync(file, 'utf8');
  expect(JSON.parse(text)).toMatchObject({
    format: 'connection-utility/connections',
    connections: [
      { name: 'contoso.com (Active Directory)', domain: 'contoso.com', bindUser: 'svc-idm@contoso.com' },
    ],
  });
  expect(text).not.toContain(password);
  expect(text).not.toMatch(/hasPassword|secrets|dataKey/);
});

test.describe('with a damaged store', () => {
  test.use({ userDataFiles: { 'connections.json': '{"version":1,"connections":[{"id":' } });

  test('the app says where the damaged file went and keeps working', async ({ app }) => {
    const { page } = app;
    await expect(
      page.getByText(
        "The earlier versions' connection store (connections.json) was damaged; it was set aside",
      ),
    ).toBeVisible();
    await expect(page.getByText(/connections\.json\.corrupt-/)).toBeVisible();
    const aside = readdirSync(app.userDataDir).find((name) => name.startsWith('connections.json.corrupt-'));
    expect(aside && readFileSync(join(app.userDataDir, aside), 'utf8')).toBe(
      '{"version":1,"connections":[{"id":',
    );
    await createActiveDirectory(page, 'contoso.com', '127.0.0.1');
    await expect(page.getByRole('option', { name: /contoso\.com/ })).toBeVisible();
  });
});
