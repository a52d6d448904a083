import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { describeCreated, setupFailure } from './setup-errors';
import type { SetupJournal } from './setup-journal';

const journal: SetupJournal = {
  version: 1,
  domain: 'contoso.com',
  cloud: 'global',
  displayName: 'Connection Utility – host1',
  certificate: {
    pem: 'CERT',
    privateKeyPem: '-----BEGIN PRIVATE KEY-----\nSECRET\n-----END PRIVATE KEY-----',
  },
  application: { objectId: 'object-1', appId: 'app-1' },
  servicePrincipalId: 'sp-1',
  grantedPermissions: ['Organization.Read.All', 'Domain.Read.All'],
  startedAt: '2025-01-01T00:00:00.000Z',
};

const failure = (code: string, detail?: Record<string, string | number>) =>
  new AppFailure({ code, message: 'Something went wrong.', ...(detail ? { detail } : {}) });

const appErrorOf = (error: unknown) => {
  if (!(error instanceof AppFailure)) throw new Error('not an AppFailure');
  return error.appError;
};

describe('setupFailure', () => {
  it('names the step and what exists, with the app id, and never the key', () => {
    const error = appErrorOf(
      setupFailure(
        failure(AppErrorCode.entraGraphError, { status: 500 }),
        'Granting Microsoft Graph permissions',
        journal,
      ),
    );
    expect(error).toMatchObject({
      code: AppErrorCode.entraSetupFailed,
      detail: {
        step: 'Granting Microsoft Graph permissions',
        cause: AppErrorCode.entraGraphError,
        status: 500,
        appId: 'app-1',
        objectId: 'object-1',
        servicePrincipalId: 'sp-1',
        grantedPermissions: ['Organization.Read.All', 'Domain.Read.All'],
      },
    });
    expect(error.message).toContain('“Granting Microsoft Graph permissions”');
    expect(error.message).toContain('app id app-1');
    expect(JSON.stringify(error)).not.toContain('SECRET');
  });

  it('a 403 while granting asks for an account that may grant Graph permissions', () => {
    const error = appErrorOf(
      setupFailure(
        failure(AppErrorCode.entraInsufficientPrivileges),
        'Granting Microsoft Graph permissions',
        journal,
      ),
    );
    expect(error.code).toBe(AppErrorCode.entraSetupNotPermitted);
    expect(error.message).toContain('cannot grant Microsoft Graph application permissions');
  });

  it('a sign-in that needs an administrator’s approval (AADSTS90094) is not permitted, not a failure', () => {
    const error = appErrorOf(
      setupFailure(
        failure(AppErrorCode.entraSignInFailed, { aadsts: 90094 }),
        'Signing in as an administrator',
        null,
      ),
    );
    expect(error.code).toBe(AppErrorCode.entraSetupNotPermitted);
    expect(error.message).toContain('cannot register applications');
    expect(error.message).toContain('Nothing was registered in the tenant yet.');
  });

  it('Cancel stays operation.cancelled, with the step', () => {
    const error = appErrorOf(
      setupFailure(failure(AppErrorCode.operationCancelled), 'Saving the connection', journal),
    );
    expect(error).toMatchObject({
      code: AppErrorCode.operationCancelled,
      detail: { step: 'Saving the connection' },
    });
  });

  it('passes what is not an AppFailure unchanged, for the router to report as internal', () => {
    const bug = new TypeError('x is undefined');
    expect(setupFailure(bug, 'Saving the connection', journal)).toBe(bug);
  });
});

describe('describeCreated', () => {
  it('lists what exists in the tenant in one sentence', () => {
    expect(describeCreated({ ...journal, connectionId: 'c-1' })).toBe(
      'Already created: the application "Connection Utility – host1" (app id app-1), its service principal, 2 of 4 permissions and the connection.',
    );
    expect(describeCreated({ ...journal, servicePrincipalId: undefined, grantedPermissions: [] })).toBe(
      'Already created: the application "Connection Utility – host1" (app id app-1).',
    );
  });
});
