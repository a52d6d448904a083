import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

// The development host is how reviewers see the UI without Electron: run the command exactly as the README does.
test('npm run dev:host -- --screenshot opens the UI with a working bridge and saves a picture', () => {
  const folder = mkdtempSync(join(tmpdir(), 'cu-dev-host-'));
  const picture = join(folder, 'shot.png');
  const run = spawnSync(
    'npm',
    [
      'run',
      '--silent',
      'dev:host',
      '--',
      '--no-build',
      '--screenshot',
      picture,
      '--user-data',
      join(folder, 'data'),
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.stderr).not.toContain('did not reach the main process');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(`Screenshot saved to ${picture}`);
  expect(existsSync(picture) && statSync(picture).size).toBeGreaterThan(10_000);
});
