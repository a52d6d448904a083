import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/app-fixture';
import { type Emulator, startEntraEmulator } from '../fixtures/entra-emulator/emulator';
import { defaultSeed } from '../fixtures/entra-emulator/seed';
import { type RemoteAgentProcess, startRemoteAgent } from '../fixtures/remote-agent-process';
import {
  type InspectingProxy,
  inspectingProxyCaName,
  startInspectingProxy,
} from '../fixtures/rogue/inspecting-proxy';
import { expectAccessible } from '../support/accessibility';
import { shot } from '../support/screenshot';
import { callBridge, giveAgentKey, sendMenuCommand } from '../support/window-bridge';

// The support case the user guide's Diagnose... is for: the test passes on the admin's computer and fails on the
// Remote Agent's host, because that host goes out through a TLS-inspecting proxy. A real agent process runs with
// HTTPS_PROXY at a proxy that re-signs every certificate with its own "Corp Proxy CA"; this computer goes direct
// to the Entra emulator. Diagnose shows both hosts side by side and names the first stage that differs.

let emulator: Emulator;
let caPem = '';
let proxy: InspectingProxy;
let agent: RemoteAgentProcess;
const folders: string[] = [];

/** A real agent whose outbound HTTPS goes through the proxy, as a service would with HTTPS_PROXY in its unit. */
test.beforeAll(async () => {
  emulator = await startEntraEmulator({ seed: defaultSeed });
  caPem = await readFile(emulator.caFile, 'utf8');
  // The proxy itself checks the emulator's certificate, as a corporate one checks the real authority's.
  proxy = await startInspectingProxy({ upstreamCaPem: caPem });
  // Both spellings; an inherited NO_PROXY naming loopback would send the agent straight to the emulator.
  agent = await startRemoteAgent({
    env: { https_proxy: proxy.url, HTTPS_PROXY: proxy.url, no_proxy: '', NO_PROXY: '' },
  });
  folders.push(agent.dataDir);
});
test.afterAll(async () => {
  await agent?.stop();
  await proxy?.stop();
  await emulator?.stop();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

const tenant = () => {
  const found = emulator.tenants[0];
  if (!found) throw new Error('the emulator has no tenant');
  return found;
};

/** A client-secret connection the agent can hold, given to the agent as Update Remote Agent gives it. */
async function connectionOnTheAgent(page: Page): Promise<string> {
  const app = tenant().apps.find((candidate) => candidate.secret && candidate.consented !== false);
  if (!app?.secret) throw new Error('no consented app with a secret in the seed');
  await giveAgentKey(page, agent);
  const saved = await callBridge<{ id: string }>(page, 'connections:save', {
    kind: 'microsoftOnline',
    name: 'Contoso through the proxy',
    tenantDomain: tenant().domain,
    authMode: 'clientSecret',
    clientId: app.clientId,
    secret: app.secret,
    authorityHost: emulator.url,
    graphHost: emulator.url,
    caPem,
    remoteAgent: { host: '127.0.0.1', port: agent.port, useTls: false },
  });
  await callBridge(page, 'agent:update', { connectionId: saved.id });
  return saved.id;
}

/** Holds Graph's licences call on this computer's side, so the run is seen while it is still going. */
function slowLicences(ms: number): void {
  emulator.faults.add({ path: '/v1.0/subscribedSkus', latencyMs: ms, times: 1 });
}

/** The colour transitions a theme switch starts have run out: axe reads colours, not where they are heading. */
async function transitionsDone(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
}

test('Diagnose shows where it breaks from both ends: fine here, TLS-inspected on the agent host', async ({
  app,
}) => {
  test.setTimeout(90_000);
  const { page } = app;
  await connectionOnTheAgent(page);
  await page.reload();

  const row = page.getByRole('option', { name: /Contoso through the proxy/ });
  await row.click();
  // Keyboard: the action is a button of the panel, reached and pressed without the mouse.
  const diagnose = page.getByRole('button', { name: 'Diagnose...' });
  await diagnose.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Diagnose Contoso through the proxy' });
  // Opened: axe reads colours, so not while the dialog is still fading in.
  await expect(dialog).toHaveCSS('opacity', '1');
  // A connection the agent can hold: its host is asked by default.
  await expect(
    dialog.getByRole('checkbox', { name: 'Also diagnose from the Remote Agent host' }),
  ).toBeChecked();
  await expectAccessible(page);

  slowLicences(2_500);
  await dialog.getByRole('button', { name: 'Run', exact: true }).click();
  // Live: stages arrive as they finish, while Cancel still stops the run.
  const stages = dialog.locator('table[data-waterfall="Microsoft Online stages"]');
  await expect(dialog.getByRole('status')).toContainText('Diagnosing…');
  await expect(stages.locator('tr[data-stage="online.tls"] td').first()).toContainText('Passed');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Run again' })).toBeVisible({ timeout: 30_000 });

  // Side by side: one table, This computer and Remote Agent host as columns, rows aligned by stage.
  const headers = stages.getByRole('columnheader');
  await expect(headers.nth(0)).toHaveText('Stage');
  await expect(headers.nth(1)).toContainText('This computer');
  await expect(headers.nth(2)).toContainText('Remote Agent host');
  // Asked and answered; if not, the Remote Agent's own stages say why.
  const probe = dialog.locator('table[data-waterfall="Remote Agent, probed from this computer"]');
  await expect(headers.nth(2), (await probe.textContent()) ?? '').toContainText('Failed');
  const tls = stages.locator('tr[data-stage="online.tls"]');
  const [here, there] = [tls.locator('td').nth(0), tls.locator('td').nth(1)];
  await expect(here.locator('[data-status]')).toHaveAttribute('data-status', 'ok');
  await expect(here).toContainText('Passed');
  await expect(there.locator('[data-status]')).toHaveAttribute('data-status', 'fail');
  await expect(there).toContainText('Failed');
  // Each bar says in words what its colour and length show.
  await expect(there.getByRole('img')).toHaveAttribute(
    'aria-label',
    /TLS to .*, Remote Agent host: failed, \d[\d,]* ms/,
  );
  // What came after TLS on the agent host did not run; here it passed.
  const signIn = stages.locator('tr[data-stage="online.signIn"]');
  await expect(signIn.locator('td').nth(0)).toContainText('Passed');
  await expect(signIn.locator('td').nth(1)).toContainText('Skipped');

  // The difference: a banner naming the stage and the proxy's CA, and that row marked on both sides.
  const banner = dialog.locator('[data-difference="online.tls"]');
  await expect(banner).toContainText(/The two hosts differ at TLS to /);
  await expect(banner).toContainText(inspectingProxyCaName);
  await expect(tls).toHaveAttribute('data-differs', 'true');
  await expect(tls.getByText('Differs')).toBeVisible();
  await expect(stages.locator('tr[data-differs]')).toHaveCount(1);
  // The failed stage unfolds to its message and hint.
  const findings = stages.locator('tr[data-findings="online.tls"]');
  await expect(findings).toContainText(inspectingProxyCaName);
  // It did go through the proxy: the agent host asked it for a tunnel to the authority.
  expect(proxy.tunnels()).toContain(new URL(emulator.url).host);
  await expect(tls.getByRole('button', { name: /what TLS to .* found/ })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  // The agent itself, probed from here: reached, its key accepted, its copy of the domain present.
  await expect(probe.locator('tr[data-stage="agent.health"]')).toContainText('Passed');
  await expectAccessible(page);

  // Folded and unfolded from the keyboard.
  const toggle = tls.getByRole('button', { name: /what TLS to .* found/ });
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(findings).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(findings).toBeVisible();

  // Run again, without the held Graph call: the same difference, and the user guide's picture on its own scale.
  const runs = () => app.traces().filter((trace) => trace.channel === 'diagnostics:run').length;
  expect(runs()).toBe(1);
  await dialog.getByRole('button', { name: 'Run again' }).click();
  await expect.poll(runs, { timeout: 30_000 }).toBe(2);
  await expect(dialog.getByRole('button', { name: 'Run again' })).toBeVisible();
  await expect(banner).toContainText(inspectingProxyCaName);
  await expect(findings).toBeVisible();
  await shot(page, 'diagnose-side-by-side');
  // The dark theme holds its contrast too (the window follows the system's choice).
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(dialog).toHaveCSS('background-color', 'rgb(41, 41, 41)');
  await transitionsDone(page);
  await expectAccessible(page);
  await page.emulateMedia({ colorScheme: 'light' });

  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // Export diagnostics...: main asks where (its Save dialog, answered here as the admin would), writes one zip.
  const folder = await mkdtemp(join(tmpdir(), 'cu-bundle-'));
  folders.push(folder);
  const bundle = join(folder, 'support.zip');
  await app.answerSaveDialog(bundle);
  await page.getByRole('button', { name: 'Export diagnostics...' }).click();
  const exporter = page.getByRole('dialog', { name: 'Export diagnostics' });
  await expect(exporter).toHaveCSS('opacity', '1');
  await expect(
    exporter.getByRole('radio', { name: 'The selected connection: Contoso through the proxy' }),
  ).toBeChecked();
  await expectAccessible(page);
  await exporter.getByRole('button', { name: 'Export...' }).click();
  await expect(exporter.getByText('The diagnostics are saved.')).toBeVisible({ timeout: 30_000 });
  await expect(exporter).toContainText(bundle);
  const written = await readFile(bundle);
  // A zip: the local file header's signature, PK\x03\x04.
  expect(written.subarray(0, 4).toString('hex')).toBe('504b0304');
  expect((await stat(bundle)).size).toBeGreaterThan(0);
  await exporter.getByRole('button', { name: /Files inside \(\d+\)/ }).click();
  await expect(exporter.getByRole('list', { name: 'Files in the bundle' })).toContainText('.html');
  await expectAccessible(page);
});

test('Export diagnostics... from the menu: Cancel in main’s Save dialog writes nothing', async ({ app }) => {
  test.skip(
    app.runtime === 'electron',
    'drives the development host’s event path; the native menu is unit-tested',
  );
  const { page } = app;
  await connectionOnTheAgent(page);
  await page.reload();
  // The window listens for the menu once it has drawn: its list is there.
  await expect(page.getByRole('option', { name: /Contoso through the proxy/ })).toBeVisible();
  await sendMenuCommand(page, 'exportDiagnostics');
  const exporter = page.getByRole('dialog', { name: 'Export diagnostics' });
  await expect(exporter).toBeVisible();
  // Nothing selected: all connections, the selected-connection choice unavailable.
  await expect(exporter.getByRole('radio', { name: 'All 1 connection' })).toBeChecked();
  await expect(exporter.getByRole('radio', { name: 'The selected connection' })).toBeDisabled();
  await app.answerSaveDialog(null);
  await exporter.getByRole('button', { name: 'Export...' }).click();
  await expect(exporter.getByText('Nothing was saved: the Save dialog was closed.')).toBeVisible();
  expect(app.traces().filter((trace) => trace.channel === 'diagnostics:exportBundle')).toHaveLength(1);
});
