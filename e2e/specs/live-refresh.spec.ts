import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionStore } from '../../shared/node/connections/connection-store';
import { KeyFileVault } from '../../shared/node/vault/key-file-vault';
import { expect, test } from '../fixtures/app-fixture';
import { exportFile, runCli } from '../support/cli-process';

// The CLI writes to the store while the window is open (import, agent update, a recorded test, we register);
// the window shows what it did within a second, without a restart and without disturbing the admin.

/** "Within 1 s of the CLI's exit": main polls every 500 ms, so 1.5 s leaves room for a loaded machine. */
const budgetMs = 1500;

const at = '2026-11-26T08:00:00.000Z';
const activeDirectory = (n: number, name: string, domain: string) => ({
  kind: 'activeDirectory',
  id: `4c1d9a7e-5b2f-4e8a-9c3d-00000000000${n}`,
  name,
  domain,
  targets: [{ host: `dc1.${domain}`, port: 636, tls: 'ldaps' }],
  bindUser: 'svc-idm',
  createdAt: at,
  updatedAt: at,
});
const contosoAd = activeDirectory(1, 'Contoso AD', 'contoso.com');
const fabrikamAd = activeDirectory(2, 'Fabrikam AD', 'fabrikam.com');
const contosoOnline = {
  kind: 'microsoftOnline',
  id: '4c1d9a7e-5b2f-4e8a-9c3d-000000000003',
  name: 'Contoso Online',
  tenantDomain: 'contoso.com',
  authMode: 'password',
  userPrincipalName: 'admin@contoso.com',
  createdAt: at,
  updatedAt: at,
};

/** Runs `check` with what is left of the budget since `since`, and says how long it took from `since`. */
async function within(since: number, check: (timeout: number) => Promise<void>): Promise<number> {
  const left = budgetMs - (performance.now() - since);
  expect(left, 'the CLI’s exit was noticed too late to measure anything').toBeGreaterThan(100);
  await check(left);
  return performance.now() - since;
}

test('what the CLI imports shows in the open window within a second, and the admin’s work stays', async ({
  app,
}) => {
  const { page, userDataDir } = app;
  const list = page.getByRole('listbox', { name: 'Connections' });
  const filterBox = page.getByRole('searchbox', { name: 'Filter connections' });
  await expect(page.getByRole('heading', { name: 'No connections yet' })).toBeVisible();

  // Was refused with store.locked while the window held the JSON store; exits 0 now.
  const first = await runCli(
    userDataDir,
    'connections',
    'import',
    '--file',
    exportFile([contosoAd]),
    '--json',
  );
  expect(first.code, `${first.stdout}${first.stderr}`).toBe(0);
  const shownAfter = await within(first.exitedAt, (timeout) =>
    expect(list.getByRole('option', { name: /Contoso AD/ })).toBeVisible({ timeout }),
  );
  expect(shownAfter).toBeLessThan(budgetMs);

  // The admin at work: a row selected, the list filtered, a wizard half filled in.
  await list.getByRole('option', { name: /Contoso AD/ }).click();
  await filterBox.fill('contoso');
  await page.getByRole('button', { name: 'New Connection...' }).click();
  await page.getByRole('menuitem', { name: 'Microsoft Active Directory' }).click();
  const wizard = page.getByRole('dialog', { name: 'New Microsoft Active Directory connection' });
  await wizard.getByRole('button', { name: 'Next' }).click();
  const domainField = wizard.getByRole('textbox', { name: 'Domain name' });
  await domainField.fill('typed.example');

  const second = await runCli(
    userDataDir,
    'connections',
    'import',
    '--file',
    exportFile([fabrikamAd, contosoOnline]),
    '--json',
  );
  expect(second.code, `${second.stdout}${second.stderr}`).toBe(0);
  // Behind the open wizard: two of the three match the filter.
  const updatedAfter = await within(second.exitedAt, (timeout) =>
    expect(page.getByText('2 of 3 connection(s)')).toBeVisible({ timeout }),
  );
  expect(updatedAfter).toBeLessThan(budgetMs);
  await expect(domainField).toHaveValue('typed.example');
  await expect(domainField).toBeFocused();

  await wizard.getByRole('button', { name: 'Cancel' }).click();
  await expect(wizard).toBeHidden();
  await expect(filterBox).toHaveValue('contoso');
  await expect(list.getByRole('option')).toHaveCount(2);
  await expect(list.getByRole('option', { name: /Contoso AD/ })).toHaveAttribute('aria-selected', 'true');
  await expect(list.getByRole('option', { name: /Contoso Online/ })).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);

  // Another of the README's write commands, beside the open window.
  const routes = join(mkdtempSync(join(tmpdir(), 'cu-e2e-routes-')), 'routes.json');
  const registered = await runCli(
    userDataDir,
    ...['we', 'register', '--domain', 'contoso.com', '--agent-url', 'http://127.0.0.1:40002'],
    ...['--routes', routes, '--json'],
  );
  expect(registered.code, `${registered.stdout}${registered.stderr}`).toBe(0);
  expect(JSON.parse(registered.stdout)).toMatchObject({ domain: 'contoso.com', routeCount: 1 });
});

test('an editor whose connection another process deletes keeps what was typed and says so', async ({
  app,
}) => {
  const { page, userDataDir } = app;
  const list = page.getByRole('listbox', { name: 'Connections' });
  const imported = await runCli(userDataDir, 'connections', 'import', '--file', exportFile([contosoAd]));
  expect(imported.code, `${imported.stdout}${imported.stderr}`).toBe(0);
  // Listed by a reload, so that only the deletion below depends on the window watching the store.
  await page.reload();
  await list.getByRole('option', { name: /Contoso AD/ }).dblclick();
  const editor = page.getByRole('dialog', { name: 'Contoso AD' });
  const nameField = editor.getByRole('textbox', { name: 'Connection name' });
  await nameField.fill('Contoso AD (renamed here)');

  // The CLI has no delete: a second connection to the store stands in for another process.
  const other = await ConnectionStore.open({ dir: userDataDir, vault: await KeyFileVault.open(userDataDir) });
  try {
    await other.delete(contosoAd.id);
  } finally {
    await other.close();
  }
  const deletedAt = performance.now();

  await within(deletedAt, (timeout) =>
    expect(editor.getByText('This connection was deleted outside this window.')).toBeVisible({ timeout }),
  );
  await expect(nameField).toHaveValue('Contoso AD (renamed here)');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor.getByText('That connection does not exist (any more).')).toBeVisible();
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await expect(editor).toBeHidden();
  await expect(page.getByRole('heading', { name: 'No connections yet' })).toBeVisible();
});

test.describe('after connections.json was moved into the new store', () => {
  test.use({
    userDataFiles: {
      'connections.json': JSON.stringify({
        version: 2,
        connections: [contosoAd],
        secrets: [],
        agentKeys: [],
      }),
    },
  });

  test('the notice is information, can be dismissed, and stays dismissed when the list refreshes', async ({
    app,
  }) => {
    const { page, userDataDir } = app;
    const notice = page.getByRole('group', { name: /moved into the new connection store/ });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('connections.json.migrated-');
    // Fluent paints a warning bar with the warning background and an info bar with the neutral one.
    const colours = await notice.evaluate((bar) => {
      const probe = (variable: string) => {
        const element = document.createElement('div');
        element.style.backgroundColor = `var(${variable})`;
        bar.append(element);
        const colour = getComputedStyle(element).backgroundColor;
        element.remove();
        return colour;
      };
      return {
        bar: getComputedStyle(bar).backgroundColor,
        info: probe('--colorNeutralBackground3'),
        warning: probe('--colorStatusWarningBackground1'),
      };
    });
    expect(colours.info).not.toBe(colours.warning);
    expect(colours.bar).toBe(colours.info);

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toBeHidden();
    const imported = await runCli(userDataDir, 'connections', 'import', '--file', exportFile([fabrikamAd]));
    expect(imported.code, `${imported.stdout}${imported.stderr}`).toBe(0);
    await expect(page.getByRole('option', { name: /Fabrikam AD/ })).toBeVisible({ timeout: budgetMs });
    await expect(notice).toBeHidden();
  });
});
