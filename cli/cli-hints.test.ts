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

  it('agent update naming another agent: leave out --host/--port, not "Save … then Update Remote Agent"', () => {
    const refused = {
      code: AppErrorCode.secretDestinationNotBound,
      message:
        'The secret is not sent: the request names the Remote Agent at http://x:1, not the saved http://y:2.',
      hint: 'Save the connection with that Remote Agent (and the secret typed again), then Update Remote Agent.',
    };
    expect(cliHint(refused)).toMatch(/^Leave out --host and --port/);
    // The same code about a domain controller keeps its own advice.
    const dc = { ...refused, hint: 'Type the password again for this domain controller.' };
    expect(cliHint(dc)).toBe(dc.hint);
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
