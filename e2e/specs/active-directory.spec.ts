import { expect, test } from '../fixtures/app-fixture';
import { runSamba } from '../fixtures/samba/shared-samba';
import { shot } from '../support/screenshot';
import { readStoredConnections } from '../support/stored-connections';

// The whole Active Directory procedure in the real window, against the run's Samba AD DC.

test('the AD wizard discovers the DCs, trusts the certificate explicitly, tests and adds the connection', async ({
  app,
}) => {
  const dc = runSamba();
  const svc = dc.users.find((user) => user.name === 'svc-idm');
  const { page } = app;

  await page.getByRole('button', { name: 'New Connection...' }).click();
  await page.getByRole('menuitem', { name: 'Microsoft Active Directory' }).click();
  const wizard = page.getByRole('dialog', { name: 'New Microsoft Active Directory connection' });
  await wizard.getByRole('button', { name: 'Next' }).click();

  await wizard.getByRole('textbox', { name: 'Domain name' }).fill(dc.domain);
  await wizard.getByRole('textbox', { name: 'DNS server (optional)' }).fill(dc.dnsServer);
  await wizard.getByRole('button', { name: 'Discover' }).click();
  const found = wizard.getByRole('list', { name: 'Domain controllers' });
  await expect(found.getByRole('listitem')).toHaveCount(2);
  await expect(found.getByRole('listitem').nth(0)).toContainText(dc.hostName);
  await expect(found.getByRole('listitem').nth(0)).toContainText(dc.mainSite);
  await expect(found.getByRole('listitem').nth(1)).toContainText(dc.deadDc.hostName);
  await expect(found.getByRole('button', { name: `Use ${dc.deadDc.hostName}` })).toBeDisabled();
  await found.getByRole('button', { name: `Use ${dc.hostName}` }).click();
  await expect(wizard.getByRole('textbox', { name: 'Domain controller' })).toHaveValue('127.0.0.1');
  await expect(wizard.getByRole('textbox', { name: 'Port' })).toHaveValue('636');
  await shot(page, 'ad-01-target-information');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await wizard.getByRole('textbox', { name: 'User name' }).fill(svc?.upn ?? '');
  await wizard.getByLabel('Password').fill(svc?.password ?? '');
  await wizard.getByRole('button', { name: 'Next' }).click();

  // No CA is configured: the certificate must be shown and trusted explicitly, never silently.
  await expect(wizard.getByText(/The certificate of 127\.0\.0\.1 is not trusted/)).toBeVisible();
  await expect(wizard.getByText(dc.tls.fingerprint)).toBeVisible();
  await shot(page, 'ad-02-untrusted-certificate');
  await wizard.getByRole('button', { name: 'Trust this certificate' }).click();
  await expect(wizard.getByText('The connection works.')).toBeVisible();
  await expect(wizard.getByText(dc.baseDn)).toBeVisible();
  await shot(page, 'ad-03-test-results');
  // With the credentials, the results list the domain's DCs as the directory knows them.
  await expect(wizard.getByRole('list', { name: 'Domain controllers' })).toContainText(
    `${dc.deadDc.hostName} · ${dc.deadDc.site}`,
  );
  await wizard.getByRole('button', { name: 'Finish' }).click();
  await expect(wizard).toBeHidden();

  const row = page.getByRole('option', { name: new RegExp(dc.domain) });
  await expect(row).toContainText('Stored');
  const stored = readStoredConnections(app.userDataDir);
  expect(stored.connections[0]).toMatchObject({
    targets: [{ host: '127.0.0.1', port: 636, tls: 'ldaps' }],
    trust: { pinnedFingerprints: [dc.tls.fingerprint] },
    bindUser: svc?.upn,
  });
});

test('the edit window tests a connection target and the panel shows the result', async ({ app }) => {
  const dc = runSamba();
  const svc = dc.users.find((user) => user.name === 'svc-idm');
  const { page } = app;
  const saved = await page.evaluate(
    (request) => window.connectionUtility?.invoke('connections:save', request),
    {
      kind: 'activeDirectory' as const,
      name: 'Contoso AD',
      domain: dc.domain,
      targets: [{ host: '127.0.0.1', port: 389, tls: 'starttls' as const }],
      trust: { pinnedFingerprints: [dc.tls.fingerprint] },
      bindUser: svc?.upn ?? '',
      password: 'an-old-password',
    },
  );
  expect(saved?.ok).toBe(true);
  await page.reload();

  await page.getByRole('option', { name: /Contoso AD/ }).dblclick();
  const dialog = page.getByRole('dialog', { name: 'Contoso AD' });
  await dialog.getByRole('tab', { name: 'Connection Targets' }).click();
  await dialog.getByRole('option', { name: /127\.0\.0\.1:389 \(StartTLS\)/ }).click();
  await dialog.getByRole('button', { name: 'Test the connection' }).click();
  await expect(dialog.getByText('The domain controller rejected the user name or password.')).toBeVisible();

  // Resetting the password: change it on General, then test.
  await dialog.getByRole('tab', { name: 'General' }).click();
  await expect(dialog.getByLabel('Password')).toHaveValue('');
  await dialog.getByLabel('Password').fill(svc?.password ?? '');
  await dialog.getByRole('tab', { name: 'Connection Targets' }).click();
  await dialog.getByRole('button', { name: 'Test the connection' }).click();
  await expect(dialog.getByText('The connection works.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByRole('option', { name: /Contoso AD/ })).toContainText('Passed');
  await page.getByRole('option', { name: /Contoso AD/ }).dblclick();
  await page.getByRole('tab', { name: 'Connection Targets' }).click();
  await page.getByRole('button', { name: 'Test the connection' }).click();
  await expect(page.getByText('The connection works.')).toBeVisible();
});
