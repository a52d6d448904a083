import { readFile } from 'node:fs/promises';
import { chromium, expect, test } from '@playwright/test';
import { chromiumArgs } from '../../tools/renderer-host';
import { type Emulator, startEntraEmulator } from '../fixtures/entra-emulator/emulator';
import { defaultSeed } from '../fixtures/entra-emulator/seed';
import { type RemoteAgentProcess, startRemoteAgent } from '../fixtures/online-stack';
import { shot } from '../support/screenshot';

// The Remote Agent guide's browser test (docs/remote-agent.md): the agent's Swagger page → Authorize → Connections → TestConnection → Try it out →
// replace "string" with the domain → Execute → HTTP 200 with the tenant id. Real agent process, real emulator.

let emulator: Emulator;
let agent: RemoteAgentProcess;
let agentUrl = '';
let apiKey = '';

test.beforeAll(async () => {
  emulator = await startEntraEmulator({ seed: defaultSeed });
  agent = await startRemoteAgent();
  ({ url: agentUrl, apiKey } = agent);
  const tenant = emulator.tenants[0];
  const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
  const put = await fetch(`${agentUrl}/api/connections/${tenant?.domain}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      authMode: 'password',
      userPrincipalName: admin?.upn,
      secret: admin?.password,
      authorityHost: emulator.url,
      graphHost: emulator.url,
      caPem: await readFile(emulator.caFile, 'utf8'),
    }),
  });
  expect(put.status).toBe(200);
});

test.afterAll(async () => {
  await agent?.stop();
  await emulator?.stop();
});

test('the Swagger page tests the connection as an admin would', async ({ headless }) => {
  const tenant = emulator.tenants[0];
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless,
    args: chromiumArgs,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${agentUrl}/swagger`);
    await expect(page.getByText('Azure AD Remote Agent')).toBeVisible();

    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const dialog = page.locator('.auth-container');
    await dialog.locator('input').first().fill(apiKey);
    await dialog.getByRole('button', { name: 'Apply credentials' }).click();
    await page.getByRole('button', { name: 'Close' }).click();

    const operation = page.locator('.opblock').filter({ hasText: '/api/Connections/TestConnection' });
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const body = operation.locator('textarea.body-param__text');
    await expect(body).toHaveValue('"string"');
    await body.fill(JSON.stringify(tenant?.domain));
    await operation.getByRole('button', { name: 'Execute' }).click();

    const live = operation.locator('.live-responses-table');
    await expect(live.locator('tbody td.response-col_status').first()).toHaveText('200', { timeout: 15_000 });
    await expect(live.locator('tbody td.response-col_description')).toContainText(
      tenant?.tenantId ?? 'no tenant',
    );
    await shot(page, 'remote-agent-swagger');
  } finally {
    await browser.close();
  }
});
