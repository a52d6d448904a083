import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import type { Locator } from '@playwright/test';
import { expect, test } from '../fixtures/app-fixture';
import { makeTlsMaterial } from '../fixtures/tls/tls-material';

/** A 1280×800 screen less a 40 px taskbar: the smallest work area the window is made for. */
const workArea = { width: 1280, height: 760 };

/** Where the element rests once the dialog's opening animation (Web Animations) has finished. */
async function boxOf(locator: Locator) {
  await locator.evaluate((element) =>
    Promise.all(element.ownerDocument.getAnimations().map((animation) => animation.finished)),
  );
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} has no box: not visible`);
  return box;
}

async function expectOnScreen(locator: Locator): Promise<void> {
  const box = await boxOf(locator);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(workArea.height);
}

let tlsServer: Server;
let tlsDir: string;

// A "domain controller" whose certificate nobody trusts: the wizard's test then shows the certificate prompt,
// the tallest result it has, without needing the Samba DC.
test.beforeAll(async () => {
  tlsDir = mkdtempSync(join(tmpdir(), 'cu-e2e-layout-'));
  const material = makeTlsMaterial(tlsDir, { dns: ['localhost'], ips: ['127.0.0.1'] });
  tlsServer = createServer(
    { key: readFileSync(material.keyPath), cert: readFileSync(material.certPath) },
    (socket) => socket.destroy(),
  );
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  rmSync(tlsDir, { recursive: true, force: true });
});

test('the wizard’s buttons stay put while test results appear, and on a 1280×760 work area', async ({
  app,
}) => {
  const { page } = app;
  await page.setViewportSize(workArea);
  await page.getByRole('button', { name: 'New Connection...' }).click();
  await page.getByRole('menuitem', { name: 'Microsoft Active Directory' }).click();
  const wizard = page.getByRole('dialog', { name: 'New Microsoft Active Directory connection' });
  const back = wizard.getByRole('button', { name: 'Back' });
  const welcomeBack = await boxOf(back);

  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('textbox', { name: 'Domain name' }).fill('contoso.test');
  await wizard.getByRole('textbox', { name: 'Domain controller' }).fill('127.0.0.1');
  await wizard.getByRole('textbox', { name: 'Port' }).fill(String((tlsServer.address() as AddressInfo).port));
  // The target step is the tallest page: it scrolls inside the frame rather than pushing the buttons down.
  expect(await boxOf(back)).toEqual(welcomeBack);
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('textbox', { name: 'User name' }).fill('svc-idm@contoso.test');
  await wizard.getByLabel('Password').fill('not-sent-anywhere');
  const next = await boxOf(wizard.getByRole('button', { name: 'Next' }));
  await wizard.getByRole('button', { name: 'Next' }).click();

  await expect(wizard.getByText('SHA-256 fingerprint')).toBeVisible();
  const finish = wizard.getByRole('button', { name: 'Finish' });
  expect(await boxOf(back)).toEqual(welcomeBack);
  expect((await boxOf(finish)).y).toBe(next.y);
  await expectOnScreen(finish);
  await expectOnScreen(wizard.getByRole('button', { name: 'Cancel', exact: true }));

  // Trusting the certificate tests again; whatever that result is, the buttons do not move.
  await wizard.getByRole('button', { name: 'Trust this certificate' }).click();
  await expect(wizard.getByText('SHA-256 fingerprint')).toBeHidden();
  await expect(wizard.getByRole('button', { name: 'Test again' })).toBeVisible();
  expect(await boxOf(back)).toEqual(welcomeBack);
});

test('Settings keeps Save and Cancel still when a refusal and a field error appear', async ({ app }) => {
  const { page } = app;
  // On a taller screen, where the viewport does not already cap the dialog's height.
  await page.setViewportSize({ width: 1280, height: 1024 });
  await page.getByRole('button', { name: 'Settings...' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const save = dialog.getByRole('button', { name: 'Save' });
  const cancel = dialog.getByRole('button', { name: 'Cancel' });
  await expect(dialog.getByRole('textbox', { name: 'Workflow Engine routes file' })).toBeFocused();
  const [saveBefore, cancelBefore] = [await boxOf(save), await boxOf(cancel)];

  const notRoutes = join(mkdtempSync(join(tmpdir(), 'cu-e2e-layout-')), 'notes.txt');
  await writeFile(notRoutes, 'not a routes file\n');
  await app.answerSaveDialog(notRoutes);
  await dialog.getByRole('button', { name: 'Choose...' }).click();
  await expect(dialog.getByText('The routes file was not changed.')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Remote Agent port' }).fill('70000');
  await save.click();
  await expect(dialog.getByText('Too big: expected number to be <=65535')).toBeVisible();

  expect(await boxOf(save)).toEqual(saveBefore);
  expect(await boxOf(cancel)).toEqual(cancelBefore);
  await page.setViewportSize(workArea);
  await expectOnScreen(save);
  await expectOnScreen(cancel);
  rmSync(join(notRoutes, '..'), { recursive: true, force: true });
});
