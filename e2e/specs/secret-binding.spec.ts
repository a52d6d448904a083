import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/app-fixture';
import { runSamba } from '../fixtures/samba/shared-samba';
import { expectAccessible } from '../support/accessibility';
import { shot } from '../support/screenshot';

// A stored secret goes only where it was saved: the window says so before Save, points at the field after a
// refused test, and the panel shows what the connection needs. Re-typing it is the expected way forward.

async function seed(page: Page, request: object): Promise<void> {
  const saved = await page.evaluate(
    (body) => window.connectionUtility?.invoke('connections:save', body as never),
    request,
  );
  if (!saved?.ok) throw new Error(JSON.stringify(saved));
  await page.reload();
}

test('a new domain controller needs the password typed again; the panel says so until it is', async ({
  app,
}) => {
  const dc = runSamba();
  const svc = dc.users.find((user) => user.name === 'svc-idm');
  if (!svc) throw new Error('the Samba fixture has no svc-idm user');
  const { page } = app;
  await seed(page, {
    kind: 'activeDirectory',
    name: 'Samba AD',
    domain: dc.domain,
    dnsServer: dc.dnsServer,
    targets: [{ host: '127.0.0.1', port: 636, tls: 'ldaps' }],
    trust: { pinnedFingerprints: [dc.tls.fingerprint] },
    bindUser: svc.upn,
    password: svc.password,
  });
  const row = page.getByRole('option', { name: /Samba AD/ });
  await expect(row).toContainText('Stored');

  await row.dblclick();
  const dialog = page.getByRole('dialog', { name: 'Samba AD' });
  const password = dialog.getByRole('textbox', { name: 'Password', exact: true });
  await expect(password).toHaveAccessibleDescription(/Leave empty to keep the stored password/);
  await dialog.getByRole('tab', { name: 'Connection Targets' }).click();
  await dialog.getByRole('textbox', { name: 'Add a domain controller' }).fill(dc.deadDc.address);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(
    dialog.getByRole('option', { name: `${dc.deadDc.address}:636 (LDAPS) · not saved` }),
  ).toHaveAttribute('aria-selected', 'true');
  await expect(dialog.getByText('Saving drops the stored password')).toBeVisible();

  // The stored password is not sent to a target it was not saved with: the window goes to the password.
  await dialog.getByRole('button', { name: 'Test the connection' }).click();
  await expect(dialog.getByRole('tab', { name: 'General' })).toHaveAttribute('aria-selected', 'true');
  await expect(password).toBeFocused();
  await expect(password).toHaveAccessibleDescription(
    new RegExp(`${dc.deadDc.address.replaceAll('.', '\\.')}:636 is not one of its domain controllers`),
  );
  await expect(password).toHaveAttribute('placeholder', '');
  await expect(dialog.getByText('Saving drops the stored password')).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'secret-binding-retype-password');

  // Saved without it: the new target is kept, the password is not.
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Password needed');
  await shot(page, 'secret-binding-panel-password-needed');

  await row.dblclick();
  await expect(password).toHaveAccessibleDescription(
    'Password needed: type it to test or use this connection.',
  );
  await expect(password).not.toHaveAttribute('placeholder', 'unchanged');
  await dialog.getByRole('tab', { name: 'Connection Targets' }).click();
  await dialog.getByRole('option', { name: /^127\.0\.0\.1:636 \(LDAPS\)/ }).click();
  await dialog.getByRole('button', { name: 'Test the connection' }).click();
  await expect(password).toBeFocused();
  await expect(password).toHaveAccessibleDescription(/There is no stored password to test with/);
  await shot(page, 'secret-binding-no-stored-password');
  await password.fill(svc.password);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Stored');

  await row.dblclick();
  await dialog.getByRole('tab', { name: 'Connection Targets' }).click();
  await dialog.getByRole('option', { name: /^127\.0\.0\.1:636 \(LDAPS\)/ }).click();
  await dialog.getByRole('button', { name: 'Test the connection' }).click();
  await expect(dialog.getByText('The connection works.')).toBeVisible();
});

test('a new Remote Agent address: Update waits for Apply, and the secret must be typed again', async ({
  app,
}) => {
  const { page } = app;
  // Nothing listens on the discard port: the agent is unreachable, which is all this test needs.
  await seed(page, {
    kind: 'microsoftOnline',
    name: 'Fabrikam Online',
    tenantDomain: 'fabrikam.com',
    authMode: 'clientSecret',
    clientId: '2f7c3a51-8d0e-4b6a-9c1f-5e4d3b2a1908',
    secret: 'a-client-secret',
    remoteAgent: { host: '127.0.0.1', port: 9, useTls: false },
  });
  const row = page.getByRole('option', { name: /Fabrikam Online/ });
  await expect(row).toContainText('Stored');

  await row.dblclick();
  const dialog = page.getByRole('dialog', { name: 'Fabrikam Online' });
  await dialog.getByRole('tab', { name: 'Remote Agent' }).click();
  await dialog.getByRole('textbox', { name: 'Port' }).fill('10');
  const update = dialog.getByRole('button', { name: '1. Update Remote Agent' });
  await expect(update).toBeDisabled();
  await update.hover();
  await expect(page.getByRole('tooltip')).toContainText('Apply the new address first');
  await expect(dialog.getByText('Saving drops the stored client secret')).toBeVisible();
  await expectAccessible(page);
  await shot(page, 'secret-binding-agent-address-changed');

  await dialog.getByRole('button', { name: 'Go to General' }).click();
  const secret = dialog.getByRole('textbox', { name: 'Client secret' });
  await expect(secret).toHaveAccessibleDescription(
    'The Remote Agent address changed: type the client secret again, or saving drops the stored one.',
  );
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(secret).toHaveAccessibleDescription('Client secret needed: type it to use this connection.');

  // Applied without the secret: the agent gets nothing, and says what to do.
  await dialog.getByRole('tab', { name: 'Remote Agent' }).click();
  await update.click();
  await expect(
    dialog.getByText(/1\. Update Remote Agent failed: This connection has no stored secret/),
  ).toBeVisible();
  await expect(
    dialog.getByText('Type the password, client secret or private key in the connection and save it first.'),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Secret needed');
});
