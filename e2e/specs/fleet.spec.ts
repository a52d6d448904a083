import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { SettingsSaveInput } from '../../shared/common/settings';
import { type AppUnderTest, expect, test } from '../fixtures/app-fixture';
import { type Emulator, startEntraEmulator } from '../fixtures/entra-emulator/emulator';
import { defaultSeed } from '../fixtures/entra-emulator/seed';
import { type RemoteAgentProcess, startRemoteAgent } from '../fixtures/online-stack';
import { expectAccessible } from '../support/accessibility';
import { shot } from '../support/screenshot';
import { callBridge, giveAgentKey, sendMenuCommand } from '../support/window-bridge';

// The user guide's Agents view (docs/user-guide.md): the three copies of each domain (this computer's store, the
// Remote Agent's copy, the Workflow Engine's route) side by side, against real agent processes on loopback, the
// Entra emulator the connections name, and a real routes file. Drift is made the way it happens: a connection
// saved again after its agent was updated, one never pushed, a route to another agent, a route left behind.

let emulator: Emulator;
let caPem = '';
/** A: every connection's agent. B: Settings' default, holding nothing. C: stopped, only a stale route names it. */
let agentA: RemoteAgentProcess;
let agentB: RemoteAgentProcess;
let deadUrl = '';
const folders: string[] = [];

test.beforeAll(async () => {
  emulator = await startEntraEmulator({ seed: defaultSeed });
  caPem = await readFile(emulator.caFile, 'utf8');
  agentA = await startRemoteAgent();
  agentB = await startRemoteAgent();
  const dead = await startRemoteAgent();
  await dead.stop();
  deadUrl = dead.url;
  folders.push(agentA.dataDir, agentB.dataDir, dead.dataDir);
});
test.afterAll(async () => {
  await agentA?.stop();
  await agentB?.stop();
  await emulator?.stop();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** The routes file main writes, chosen the only way there is (main's Save dialog), and Settings' default agent. */
async function chooseRoutesFile(app: AppUnderTest, defaultAgentPort: number): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'cu-we-'));
  folders.push(folder);
  const routesFile = join(folder, 'routes.json');
  await app.answerSaveDialog(routesFile);
  await callBridge(app.page, 'settings:chooseRoutesFile', {});
  const settings: SettingsSaveInput = {
    remoteAgent: { host: '127.0.0.1', port: defaultAgentPort, useTls: false },
    microsoftOnline: { cloud: 'global', authorityHost: emulator.url, graphHost: emulator.url, caPem },
  };
  await callBridge(app.page, 'settings:save', settings);
  return routesFile;
}

const admin = () => {
  const found = emulator.tenants[0]?.users.find((user) => user.scenario === 'globalAdmin');
  if (!found) throw new Error('no Global Administrator in the seed');
  return found;
};

/** A password connection for `domain` on agent A, saved as the wizard saves one (or saved again, with `id`). */
async function saveConnection(page: Page, domain: string, name: string, id?: string): Promise<string> {
  const saved = await callBridge<{ id: string }>(page, 'connections:save', {
    kind: 'microsoftOnline',
    ...(id ? { id } : { secret: admin().password }),
    name,
    tenantDomain: domain,
    authMode: 'password',
    userPrincipalName: admin().upn,
    authorityHost: emulator.url,
    graphHost: emulator.url,
    caPem,
    remoteAgent: { host: '127.0.0.1', port: agentA.port, useTls: false },
  });
  return saved.id;
}

/**
 * axe over the whole window (the view switch and the Agents view), as expectAccessible does over a dialog, less
 * Fluent's tabster focus sentinels: aria-hidden and focusable by design (microsoft/fluentui#27517), they hand focus
 * straight on and are never read out.
 */
async function expectWindowAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include('#root').exclude('[data-tabster-dummy]').analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(blocking).toEqual([]);
}

const route = (agentUrl: string, connectionId: string) => ({
  agentUrl,
  connectionId,
  updatedAt: new Date().toISOString(),
});

test('the Agents view names each drift in plain words, and Repair all turns the rows green', async ({
  app,
}) => {
  test.setTimeout(120_000);
  const { page } = app;
  const routesFile = await chooseRoutesFile(app, agentB.port);
  // The keys are typed once, as in the Remote Agent tab, and remembered sealed for each agent.
  for (const agent of [agentA, agentB]) await giveAgentKey(page, agent);
  const contoso = await saveConnection(page, 'contoso.test', 'Contoso');
  const mail = await saveConnection(page, 'mail.contoso.test', 'Contoso mail');
  const fabrikam = await saveConnection(page, 'fabrikam.test', 'Fabrikam');
  const northwind = await saveConnection(page, 'northwind.test', 'Northwind');
  for (const connectionId of [contoso, fabrikam, northwind]) {
    await callBridge(page, 'agent:update', { connectionId });
  }
  // Saved again after its agent got a copy: the agent's copy is now the older revision.
  await saveConnection(page, 'contoso.test', 'Contoso (renamed)', contoso);
  await writeFile(
    routesFile,
    JSON.stringify({
      version: 1,
      routes: {
        'contoso.test': route(agentA.url, contoso),
        'fabrikam.test': route(agentB.url, fabrikam),
        'northwind.test': route(agentA.url, northwind),
        'old.contoso.test': route(deadUrl, randomUUID()),
      },
    }),
  );
  await page.reload();

  // Connections | Agents from the keyboard.
  const views = page.getByRole('tablist', { name: 'Views' });
  await views.getByRole('tab', { name: 'Connections' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(views.getByRole('tab', { name: 'Agents' })).toHaveAttribute('aria-selected', 'true');
  const view = page.getByRole('main', { name: 'Agents panel' });
  await expect(page.getByRole('main', { name: 'Connections panel' })).toBeHidden();

  const agents = view.getByRole('table', { name: 'Agents' });
  const agentRow = (url: string) => agents.getByRole('row').filter({ hasText: url });
  await expect(agentRow(agentA.url)).toHaveAttribute('data-agent-state', 'running');
  await expect(agentRow(agentA.url)).toContainText('Running');
  await expect(agentRow(agentA.url)).toContainText('fabrikam.test');
  await expect(agentRow(agentB.url)).toContainText('None');
  await expect(agentRow(deadUrl)).toContainText('Unreachable');

  const domains = view.getByRole('table', { name: 'Domains' });
  const domainsSection = view.getByRole('region', { name: /^Domains/ });
  const domainRow = (domain: string) => domains.locator(`tr[data-domain="${domain}"]`);
  const expectDrift = async (domain: string, drift: string, words: string[]) => {
    await expect(domainRow(domain)).toHaveAttribute('data-drift', drift);
    for (const text of words) await expect(domainRow(domain)).toContainText(text);
  };
  await expectDrift('contoso.test', 'staleOnAgent', ['Agent’s copy is older', 'Contoso (renamed)']);
  await expectDrift('mail.contoso.test', 'missingOnAgent noRoute', ['No copy on the agent', 'No route']);
  await expectDrift('fabrikam.test', 'routeToOtherAgent routeToAgentWithoutDomain', [
    'Route points at another agent',
    'Route’s agent lacks the domain',
  ]);
  await expectDrift('old.contoso.test', 'routeWithoutConnection routeToUnreachableAgent', [
    'Route without a connection',
    'Route’s agent is unreachable',
  ]);
  await expectDrift('northwind.test', 'none', ['In agreement', 'Same as the store']);
  await expect(view).toContainText('5 domain(s) · 4 with drift');
  await expect(
    domainRow('mail.contoso.test').getByRole('button', { name: 'Update Remote Agent for mail.contoso.test' }),
  ).toBeVisible();
  await expect(
    domainRow('mail.contoso.test').getByRole('button', { name: 'Update Agent in WE for mail.contoso.test' }),
  ).toBeVisible();
  await expectWindowAccessible(page);
  await page.mouse.move(1, 1);
  await domainsSection.scrollIntoViewIfNeeded();
  await shot(page, 'agents-drift');

  // Repair all: every safe repair, with the report; the route left behind is only removed when named.
  await view.getByRole('button', { name: 'Repair all' }).click();
  const report = view.getByRole('region', { name: 'Repair report' });
  await expect(report).toContainText('Repair all finished', { timeout: 20_000 });
  await expect(report).toContainText('4 done, 1 skipped.');
  const outcome = (text: string) => report.getByRole('listitem').filter({ hasText: text });
  await expect(outcome('Update Remote Agent · contoso.test')).toHaveAttribute('data-outcome', 'done');
  await expect(outcome('Update Remote Agent · mail.contoso.test')).toHaveAttribute('data-outcome', 'done');
  await expect(outcome('Update Agent in WE · mail.contoso.test')).toHaveAttribute('data-outcome', 'done');
  await expect(outcome('Update Agent in WE · fabrikam.test')).toHaveAttribute('data-outcome', 'done');
  await expect(outcome('Remove route · old.contoso.test')).toHaveAttribute('data-outcome', 'skipped');
  await expect(outcome('Remove route · old.contoso.test')).toContainText('only when named');
  for (const domain of ['contoso.test', 'mail.contoso.test', 'fabrikam.test', 'northwind.test']) {
    await expect(domainRow(domain)).toHaveAttribute('data-drift', 'none');
    await expect(domainRow(domain)).toContainText('In agreement');
    await expect(domainRow(domain).getByRole('button')).toHaveCount(0);
  }
  await expect(domainRow('old.contoso.test')).toHaveAttribute(
    'data-drift',
    'routeWithoutConnection routeToUnreachableAgent',
  );
  await expect(view).toContainText('5 domain(s) · 1 with drift');
  const afterRepair = JSON.parse(await readFile(routesFile, 'utf8'));
  expect(afterRepair.routes).toMatchObject({
    'mail.contoso.test': { agentUrl: agentA.url, connectionId: mail },
    'fabrikam.test': { agentUrl: agentA.url, connectionId: fabrikam },
    'old.contoso.test': { agentUrl: deadUrl },
  });
  await expectWindowAccessible(page);
  // The pointer leaves Repair all, whose tooltip would cover the report.
  await page.mouse.move(1, 1);
  await domainsSection.scrollIntoViewIfNeeded();
  await shot(page, 'agents-repaired');

  // Remove route asks first; Cancel leaves the file alone.
  const remove = domainRow('old.contoso.test').getByRole('button', {
    name: 'Remove route for old.contoso.test',
  });
  await remove.click();
  const confirm = page.getByRole('alertdialog', { name: 'Remove the route for old.contoso.test?' });
  await expect(confirm).toContainText(deadUrl);
  // Contrast is judged on the dialog as shown, not halfway through its fade-in.
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished)));
  await expectAccessible(page, '[role="alertdialog"]');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  expect(JSON.parse(await readFile(routesFile, 'utf8')).routes).toHaveProperty(['old.contoso.test']);

  await remove.click();
  await confirm.getByRole('button', { name: 'Remove route' }).click();
  await expect(report).toContainText('Remove route for old.contoso.test finished');
  await expect(report).toContainText('1 done.');
  await expect(domainRow('old.contoso.test')).toHaveCount(0);
  await expect(view).toContainText('4 domain(s) · all in agreement');
  // Only the route named the stopped agent: with it gone, so is the agent.
  await expect(agentRow(deadUrl)).toHaveCount(0);
  await expect(view.getByRole('button', { name: 'Repair all' })).toBeDisabled();
  expect(JSON.parse(await readFile(routesFile, 'utf8')).routes).not.toHaveProperty(['old.contoso.test']);
});

test('the View menu switches views, the choice outlives a reload, and a broken routes file shows its hint', async ({
  app,
}) => {
  test.skip(
    app.runtime === 'electron',
    'drives the development host’s event path; the native menu is unit-tested',
  );
  const { page } = app;
  const routesFile = await chooseRoutesFile(app, agentB.port);
  await writeFile(routesFile, '{ "version": 1, "routes": ');
  const menu = (command: string) => sendMenuCommand(page, command);

  await menu('showAgents');
  const view = page.getByRole('main', { name: 'Agents panel' });
  await expect(view.getByText('The agents could not be checked.')).toBeVisible();
  await expect(view).toContainText('The Workflow Engine routes file cannot be read');
  await expect(view).toContainText(`Repair ${routesFile}`);

  await writeFile(routesFile, JSON.stringify({ version: 1, routes: {} }));
  await view.getByRole('button', { name: 'Retry' }).click();
  await expect(view.getByText('The agents could not be checked.')).toBeHidden();
  // Settings' agent, whose key this computer was never given: asked for its health only.
  const settingsAgent = view
    .getByRole('table', { name: 'Agents' })
    .getByRole('row')
    .filter({ hasText: agentB.url });
  await expect(settingsAgent).toHaveAttribute('data-agent-state', 'noKey');
  await expect(settingsAgent).toContainText('No key');
  await expect(view).toContainText('nothing to compare');

  // Remembered for the session: a reload comes back to Agents.
  await page.reload();
  const views = page.getByRole('tablist', { name: 'Views' });
  await expect(views.getByRole('tab', { name: 'Agents' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('main', { name: 'Agents panel' })).toBeVisible();

  await menu('showConnections');
  await expect(views.getByRole('tab', { name: 'Connections' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('main', { name: 'Connections panel' })).toBeVisible();
  await expect(page.getByRole('main', { name: 'Agents panel' })).toHaveCount(0);
});
