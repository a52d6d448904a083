import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorHosts } from '../../e2e/fixtures/entra-emulator/cli-sign-in';
import {
  approvePrintedDeviceCode,
  ownEmulator,
  userOf,
} from '../../e2e/fixtures/entra-emulator/emulator-test-client';
import { buildCli } from '../../scripts/build-cli';

// The certificate library is loaded lazily, and a bundler with code splitting hands its CommonJS build over
// differently than Node does: only the bundle, run as users run it, shows that the setup can make a certificate.

let stack: Awaited<ReturnType<typeof ownEmulator>>;
let entry: string;

beforeAll(async () => {
  stack = await ownEmulator({ propagationDelayMs: 500 });
  entry = await buildCli(join(mkdtempSync(join(tmpdir(), 'cu-setup-bundle-')), 'cli'));
}, 60_000);
afterAll(async () => {
  await stack.emulator.stop();
});

describe('entra setup-app in the CLI bundle', () => {
  it('makes the certificate, registers the app and saves the connection', async () => {
    const admin = userOf(stack.tenant, 'globalAdmin');
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((done, fail) => {
      const child = execFile(
        process.execPath,
        [
          entry,
          'entra',
          'setup-app',
          '--domain',
          stack.tenant.domain,
          '--device-code',
          ...emulatorHosts(stack.emulator, 'hostsAndCa'),
          '--json',
        ],
        {
          cwd: tmpdir(),
          env: { ...process.env, CU_USER_DATA: mkdtempSync(join(tmpdir(), 'cu-setup-data-')) },
        },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') fail(error);
          else done({ code: error ? Number(error.code) : 0, stdout, stderr });
        },
      );
      // The administrator enters the printed code.
      child.stderr?.on('data', (chunk: Buffer) => {
        approvePrintedDeviceCode(stack.client, chunk.toString(), admin.upn);
      });
    });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      appId: expect.any(String),
      certificateThumbprint: expect.stringMatching(/^[0-9A-F]{40}$/),
      connectionId: expect.any(String),
    });
    expect(run.stdout + run.stderr).not.toContain('PRIVATE KEY');
  }, 60_000);
});
