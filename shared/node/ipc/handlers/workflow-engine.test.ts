import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contosoOnline, testHost } from '../fixtures/test-host';

// Rule 6 for Update Agent in WE: the window names no file, and a file main cannot use is never quoted back.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  delete process.env.CU_WORKFLOW_ENGINE_ROUTES;
});

async function setUp() {
  const { userDataDir, call, close } = testHost();
  cleanups.push(close);
  const saved = await call('connections:save', contosoOnline);
  if (!saved.ok) throw new Error(saved.error.message);
  return { userDataDir, call };
}

/** The secret, and every 8-character run of it: V8's JSON errors quote the first few characters. */
function expectNoPartOf(marker: string, text: string): void {
  for (let start = 0; start + 8 <= marker.length; start += 1) {
    expect(text).not.toContain(marker.slice(start, start + 8));
  }
}

const marker = 'ghp_q7ZxMARKER91kfTz';

describe('we:register (rule 6)', () => {
  it('refuses a request that names the routes file, and writes nothing there', async () => {
    const { call, userDataDir } = await setUp();
    const folder = join(mkdtempSync(join(tmpdir(), 'cu-we-target-')), 'made-by-main');
    const result = await call('we:register', {
      domain: 'contoso.test',
      agentUrl: 'http://agent:40002',
      routesFile: join(folder, 'routes.json'),
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'input.invalid', detail: { channel: 'we:register' } },
    });
    expect(existsSync(folder)).toBe(false);
    expect(existsSync(join(userDataDir, 'workflow-engine'))).toBe(false);
  });

  it.each([
    ['not JSON (a credentials file)', `${marker}@github.example\n`, 'not JSON'],
    ['JSON, not a routes file', `{"token":"${marker}"}`, 'not a routes file (version or routes missing)'],
    [
      'a routes file whose route is not one',
      `{"version":1,"routes":{"${marker}":"${marker}"}}`,
      'a route is not { agentUrl, connectionId, updatedAt }',
    ],
  ])(
    'a file holding a secret (%s) fails with we.routesInvalid that quotes none of it',
    async (_label, content, reason) => {
      const { call } = await setUp();
      const file = join(mkdtempSync(join(tmpdir(), 'cu-we-secret-')), 'credentials');
      writeFileSync(file, content);
      process.env.CU_WORKFLOW_ENGINE_ROUTES = file;
      const result = await call('we:register', { domain: 'contoso.test', agentUrl: 'http://agent:40002' });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'we.routesInvalid', detail: { file, reasons: [reason] } },
      });
      expectNoPartOf(marker, JSON.stringify(result));
      expect(readFileSync(file, 'utf8')).toBe(content);
    },
  );
});
