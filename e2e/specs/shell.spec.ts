import packageJson from '../../package.json' with { type: 'json' };
import { expect, test } from '../fixtures/app-fixture';

test('the shell loads and app:info round-trips through the real router', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Connection Utility' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New Connection...' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No connections yet' })).toBeVisible();

  // The status line is drawn from the app:info answer, so its text proves the bridge.
  const status = page.getByRole('status', { name: 'Status' });
  await expect(status).toContainText(`Connection Utility ${packageJson.version}`);
  await expect(status).toContainText(app.userDataDir);

  const result = await page.evaluate(() => window.connectionUtility?.invoke('app:info', {}));
  expect(result).toMatchObject({
    ok: true,
    value: {
      appVersion: packageJson.version,
      userDataDir: app.userDataDir,
      host: app.runtime === 'electron' ? 'electron' : 'devHost',
    },
  });
  expect(app.traces().filter((trace) => trace.channel === 'app:info' && trace.outcome === 'ok').length).toBe(
    2,
  );
});

test('an invalid payload gets input.invalid without reaching the handler', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('status', { name: 'Status' })).toContainText('Data: ');
  const before = app.traces().length;

  const result = await page.evaluate(() =>
    // A renderer bug or a compromised page can send anything: the contract says app:info takes {}.
    window.connectionUtility?.invoke('app:info', { userDataDir: '/etc' } as unknown as Record<string, never>),
  );

  expect(result).toMatchObject({
    ok: false,
    error: { code: 'input.invalid', detail: { channel: 'app:info' } },
  });
  // Startup calls of other channels (the connection list) may still land in this window: look at ours.
  expect(
    app
      .traces()
      .slice(before)
      .filter((trace) => trace.channel === 'app:info'),
  ).toEqual([
    expect.objectContaining({ channel: 'app:info', outcome: 'invalidRequest', handlerCalled: false }),
  ]);
});

test('a channel outside the allow-list is refused by the bridge itself', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('status', { name: 'Status' })).toContainText('Data: ');
  const before = app.traces().length;

  const result = await page.evaluate(() =>
    window.connectionUtility?.invoke('shell:openPath' as 'app:info', {} as Record<string, never>),
  );

  expect(result).toMatchObject({ ok: false, error: { code: 'ipc.unknownChannel' } });
  expect(
    app
      .traces()
      .slice(before)
      .filter((trace) => (trace.channel as string) === 'shell:openPath'),
  ).toEqual([]);
});

test('New Connection... opens from the keyboard and lists both connection kinds', async ({ app }) => {
  const { page } = app;
  const button = page.getByRole('button', { name: 'New Connection...' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Microsoft Active Directory' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Microsoft Online' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toBeHidden();
  await expect(button).toBeFocused();
});

test('a dialog loaded on first use takes the keyboard at once and gives it back when closed', async ({
  app,
}) => {
  const { page } = app;
  const button = page.getByRole('button', { name: 'New Connection...' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Microsoft Active Directory' })).toBeFocused();
  await page.keyboard.press('Enter');
  const wizard = page.getByRole('dialog', { name: 'New Microsoft Active Directory connection' });
  await expect(wizard).toBeVisible();
  // Focus moved into the dialog (its code arrived after the keypress), so Tab and Enter work there.
  await expect.poll(() => wizard.evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Enter');
  await expect(wizard.getByRole('textbox', { name: 'Domain name' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(wizard).toBeHidden();
  await expect(button).toBeFocused();
});

test('a dialog whose code cannot be loaded says so, and the window keeps working', async ({ app }) => {
  // The development host serves the renderer over loopback HTTP, so the request for the chunk can be refused;
  // the packaged app loads it from its own files.
  test.skip(app.runtime === 'electron', 'the renderer is read from file:// there');
  const { page } = app;
  await page.route(/\/assets\/SettingsDialog-[^/]*\.js$/, (route) => route.abort());
  await page.getByRole('button', { name: 'Settings...' }).click();
  const failure = page.getByRole('alertdialog', { name: 'This window part could not be loaded' });
  await expect(failure).toContainText('Restart Connection Utility.');
  await expect(failure.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(failure).toBeHidden();
  await page.getByRole('button', { name: 'New Connection...' }).click();
  await expect(page.getByRole('menuitem', { name: 'Microsoft Active Directory' })).toBeVisible();
});
