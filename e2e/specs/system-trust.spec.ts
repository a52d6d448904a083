import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '../fixtures/app-fixture';
import { runSamba } from '../fixtures/samba/shared-samba';
import { expectAccessible } from '../support/accessibility';
import { createAdConnectionThroughWizard } from '../support/ad-connection';

// "Trust what the operating system trusts": the setting in Settings, and the certificate panel saying which
// source vouched for a certificate. (That the system store itself vouches is proven by the CLI's integration
// tests, which can give each process a store of its own.)

const storedSettings = async (userDataDir: string) =>
  JSON.parse(await readFile(join(userDataDir, 'settings.json'), 'utf8'));

test('Settings: the operating system store is trusted by default; the keyboard turns it off, main keeps it', async ({
  app,
}) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Settings...' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const store = dialog.getByRole('switch', { name: 'Trust the operating system’s certificate store' });
  await expect(store).toBeChecked();
  await expect(store).toHaveAccessibleDescription(/chains to a root in this computer’s store/);
  await expectAccessible(page);

  await store.focus();
  await page.keyboard.press('Space');
  await expect(store).not.toBeChecked();
  await expect(store).toHaveAccessibleDescription(/Only the public roots and what each connection names/);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  expect(await storedSettings(app.userDataDir)).toMatchObject({ version: 2, trustSystemStore: false });

  await page.getByRole('button', { name: 'Settings...' }).click();
  await expect(store).not.toBeChecked();

  // The window cannot choose trust per request: no request schema has such a field.
  const refused = await page.evaluate(() => {
    const request: unknown = {
      target: { host: '127.0.0.1', port: 636, tls: 'ldaps' },
      trust: { pinnedFingerprints: [], trustSystemStore: true },
      bindUser: 'svc',
      password: 'x',
    };
    return window.connectionUtility?.invoke('ad:test', request as never);
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
});

test('the certificate panel says what vouched: pinned in the wizard, the connection’s CA in the edit window', async ({
  app,
}) => {
  const dc = runSamba();
  const svc = dc.users.find((user) => user.name === 'svc-idm');
  const { page } = app;

  await createAdConnectionThroughWizard(page, dc, async (wizard) => {
    await expect(wizard.getByRole('definition').filter({ hasText: /^Pinned$/ })).toBeVisible();
  });

  const saved = await page.evaluate(
    (request) => window.connectionUtility?.invoke('connections:save', request),
    {
      kind: 'activeDirectory' as const,
      name: 'Contoso by CA',
      domain: dc.domain,
      targets: [{ host: '127.0.0.1', port: 636, tls: 'ldaps' as const }],
      trust: { caPem: dc.tls.caPem, pinnedFingerprints: [] },
      bindUser: svc?.upn ?? '',
      password: svc?.password ?? '',
    },
  );
  expect(saved?.ok).toBe(true);
  await page.reload();
  await page.getByRole('option', { name: /Contoso by CA/ }).dblclick();
  const dialog = page.getByRole('dialog', { name: 'Contoso by CA' });
  await dialog.getByRole('tab', { name: 'Connection Targets' }).click();
  await dialog.getByRole('option', { name: /127\.0\.0\.1:636/ }).click();
  await dialog.getByRole('button', { name: 'Test the connection' }).click();
  await expect(dialog.getByText('The connection works.')).toBeVisible();
  await expect(dialog.getByRole('term').filter({ hasText: /^Trust$/ })).toBeVisible();
  await expect(
    dialog.getByRole('definition').filter({ hasText: 'Trusted by this connection’s CA' }),
  ).toBeVisible();
  await expectAccessible(page);
});
