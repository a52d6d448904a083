import { describe, expect, it } from 'vitest';
import { setupAppSteps } from '../../../../shared/common/entra/setup-app';
import { newDraft } from './microsoft-online-draft';
import {
  createdSoFar,
  setupFailed,
  setupProgressed,
  setupRequestOf,
  startedSetup,
  validateSetup,
} from './setup-app-state';

const draft = (patch: Partial<ReturnType<typeof newDraft>> = {}) => ({
  ...newDraft(null),
  tenantDomain: ' Contoso.Test ',
  authorityHost: 'https://127.0.0.1:4443',
  graphHost: 'https://127.0.0.1:4443',
  ...patch,
});
const url = 'https://127.0.0.1:4443/contoso.test/oauth2/v2.0/authorize?client_id=x';

describe('Set up certificate sign-in, as the wizard asks for it', () => {
  it('sends the domain, the cloud, how the administrator signs in and a typed e-mail as the login hint', () => {
    expect(setupRequestOf(draft({ userPrincipalName: ' admin@contoso.test ' }), 'deviceCode')).toEqual({
      domain: 'contoso.test',
      signIn: 'deviceCode',
      userPrincipalName: 'admin@contoso.test',
      cloud: 'global',
      authorityHost: 'https://127.0.0.1:4443',
      graphHost: 'https://127.0.0.1:4443',
      timeoutMs: 300_000,
    });
    expect(setupRequestOf(draft(), 'browser')).not.toHaveProperty('userPrincipalName');
  });

  it('points at the domain or a malformed e-mail before anything is sent; an empty e-mail is fine', () => {
    expect(validateSetup(draft(), 'browser')).toEqual({});
    expect(validateSetup(draft({ tenantDomain: 'contoso' }), 'browser')).toHaveProperty('tenantDomain');
    expect(validateSetup(draft({ tenantDomain: '' }), 'browser')).toHaveProperty('tenantDomain');
    expect(validateSetup(draft({ userPrincipalName: 'not an address' }), 'browser')).toEqual({
      userPrincipalName: 'enter the administrator’s e-mail, or leave it empty',
    });
    expect(validateSetup(draft({ graphHost: 'http://plain.example' }), 'browser')).toHaveProperty(
      'graphHost',
    );
  });

  it('lists every step pending, shows the sign-in prompts during the sign-in and drops them after it', () => {
    let run = startedSetup(setupRequestOf(draft(), 'browser'));
    expect(run.checklist.steps.map((step) => step.name)).toEqual([...setupAppSteps]);
    run = setupProgressed(run, { operationId: 'op', step: setupAppSteps[0], done: 0, total: 8 }, 0);
    run = setupProgressed(
      run,
      { operationId: 'op', step: setupAppSteps[0], done: 0, total: 8, browser: { url } },
      5,
    );
    expect(run).toMatchObject({ status: 'running', browser: { url } });
    run = setupProgressed(run, { operationId: 'op', step: setupAppSteps[1], done: 1, total: 8 }, 900);
    expect(run).toMatchObject({ browser: null, deviceCode: null });
    expect(run.checklist.steps[0]).toMatchObject({ status: 'done', ms: 900 });
  });

  it('fails the step main names and keeps the request for Retry; Cancel is said as such', () => {
    const request = setupRequestOf(draft(), 'browser');
    let run = startedSetup(request);
    run = setupProgressed(run, { operationId: 'op', step: setupAppSteps[5], done: 5, total: 8 }, 0);
    const error = {
      code: 'entra.setupFailed',
      message: 'Setting up certificate sign-in stopped at “Waiting…”.',
      hint: 'Retry: it continues from this step with the same application.',
      detail: {
        step: setupAppSteps[5],
        appId: '11111111-2222-3333-4444-555555555555',
        grantedPermissions: ['Organization.Read.All', 'Domain.Read.All'],
      },
    };
    const failed = setupFailed(run, error, 10);
    expect(failed).toMatchObject({ status: 'failed', cancelled: false, request });
    expect(failed.checklist.steps[5]).toMatchObject({
      status: 'failed',
      note: error.message,
      hint: error.hint,
    });
    expect(createdSoFar(error).filter(([, value]) => value)).toEqual([
      ['Stopped at', setupAppSteps[5]],
      ['Application (client) id', '11111111-2222-3333-4444-555555555555'],
      ['Permissions granted', 'Organization.Read.All, Domain.Read.All'],
    ]);
    const cancelled = setupFailed(run, { code: 'operation.cancelled', message: 'Cancelled.' }, 10);
    expect(cancelled).toMatchObject({ cancelled: true });
    expect(cancelled.checklist.steps[5]).toEqual(
      expect.objectContaining({ status: 'failed', note: 'Cancelled' }),
    );
    expect(cancelled.checklist.steps[5]).not.toHaveProperty('hint');
  });
});
