import { describe, expect, it } from 'vitest';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { contosoOnline, testHost } from '../shared/node/ipc/fixtures/test-host';
import { cliHint } from './cli-hints';
import { runCliInProcess } from './run-cli-in-process';

describe('the CLI’s next steps', () => {
  it('name options of the command where the shared hint names the window', () => {
    expect(
      cliHint({
        code: AppErrorCode.agentUnauthorized,
        message: 'There is no API key for the Remote Agent at http://localhost:40002.',
        hint: 'Enter the key from the agent’s data folder (api-key) on the Remote Agent tab.',
      }),
    ).toBe("Pipe the agent's API key (the api-key file in its data folder) to --api-key-stdin.");
    expect(
      cliHint({
        code: AppErrorCode.weRoutesInvalid,
        message: 'The Workflow Engine routes file cannot be read, so it was left unchanged.',
        hint: 'Repair /x/routes.json (expected { "version": 1, "routes": { … } }) or choose another file in Settings.',
      }),
    ).toBe(
      'Repair /x/routes.json (expected { "version": 1, "routes": { … } }) or pass another file with --routes FILE.',
    );
  });

  it('keep the shared hint where it already fits a terminal', () => {
    const hint = 'Check the password of the service account (it may have been reset) and try again.';
    expect(cliHint({ code: AppErrorCode.adInvalidCredentials, message: 'Wrong password.', hint })).toBe(hint);
  });

  it('a request the contract refuses: the fields, then the options behind them', async () => {
    const host = testHost({ host: 'cli' });
    try {
      await host.router.invoke('connections:save', contosoOnline);
      const run = await runCliInProcess(host.router, [
        'we',
        'register',
        '--domain',
        contosoOnline.tenantDomain,
        '--agent-url',
        'ftp://agent',
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^ {2}agentUrl: /m);
      expect(run.stderr).toContain('Next step: Check the options behind the fields named above.');
      expect(run.stderr).not.toContain('highlighted');
    } finally {
      await host.close();
    }
  });
});
