import { expect, test } from '../fixtures/app-fixture';
import { sendMenuCommand } from '../support/window-bridge';

// The application menu sends `menu` events (electron/menu/app-menu.ts, unit-tested); here the window's side:
// each command does what its toolbar twin does. The development host delivers main's events the same way.
test('menu commands open the wizards and Settings, and never stack a second dialog', async ({ app }) => {
  test.skip(
    app.runtime === 'electron',
    'drives the development host’s event path; the native menu is unit-tested',
  );
  const { page } = app;
  const send = (command: string) => sendMenuCommand(page, command);

  await send('newMicrosoftOnline');
  const wizard = page.getByRole('dialog', { name: 'New Microsoft Online connection' });
  await expect(wizard).toBeVisible();
  await send('settings');
  await expect(page.getByRole('dialog', { name: 'Settings' })).toHaveCount(0);
  await wizard.getByRole('button', { name: 'Cancel' }).click();

  await send('newActiveDirectory');
  const adWizard = page.getByRole('dialog', { name: 'New Microsoft Active Directory connection' });
  await expect(adWizard).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(adWizard).toBeHidden();

  await send('settings');
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
});
