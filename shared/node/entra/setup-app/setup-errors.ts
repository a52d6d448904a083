import type { SetupAppStep } from '../../../common/entra/setup-app';
import { type AppErrorDetail, AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { tenantTestPermissions } from './graph-permissions';
import type { SetupJournal } from './setup-journal';

const resumeHint =
  'Retry (or run the setup again): it continues from this step with the same application, registering no second one.';

// AADSTS90094/90095: the account may not consent to these permissions and needs an administrator's approval.
const needsAdminApproval = new Set([90094, 90095]);

/** What the tenant holds of this setup so far, for the error's detail. */
function createdDetail(journal: SetupJournal | null): AppErrorDetail {
  return {
    ...(journal?.application
      ? { appId: journal.application.appId, objectId: journal.application.objectId }
      : {}),
    ...(journal?.servicePrincipalId ? { servicePrincipalId: journal.servicePrincipalId } : {}),
    ...(journal?.grantedPermissions.length ? { grantedPermissions: journal.grantedPermissions } : {}),
    ...(journal?.connectionId ? { connectionId: journal.connectionId } : {}),
  };
}

/** The same, as a sentence. */
export function describeCreated(journal: SetupJournal | null): string {
  if (!journal?.application) return 'Nothing was registered in the tenant yet.';
  const parts = [`the application "${journal.displayName}" (app id ${journal.application.appId})`];
  if (journal.servicePrincipalId) parts.push('its service principal');
  if (journal.grantedPermissions.length)
    parts.push(`${journal.grantedPermissions.length} of ${tenantTestPermissions.length} permissions`);
  if (journal.connectionId) parts.push('the connection');
  const last = parts.pop();
  return `Already created: ${parts.length ? `${parts.join(', ')} and ${last}` : last}.`;
}

function notPermittedMessage(step: SetupAppStep): string {
  return step === 'Granting Microsoft Graph permissions'
    ? 'This account cannot grant Microsoft Graph application permissions: sign in as a Global Administrator or Privileged Role Administrator.'
    : 'This account cannot register applications: sign in as a Global Administrator, Application Administrator or Cloud Application Administrator.';
}

function isNotPermitted(failure: AppFailure, step: SetupAppStep): boolean {
  const { code, detail } = failure.appError;
  if (step === 'Signing in as an administrator')
    return typeof detail?.aadsts === 'number' && needsAdminApproval.has(detail.aadsts);
  return code === AppErrorCode.entraInsufficientPrivileges && step !== 'Testing the connection';
}

/**
 * A setup's failure as the admin reads it: the step it stopped at and what already exists (with the app id), so
 * that Retry is the obvious next step. Cancel stays operation.cancelled; errors that are not AppFailures (bugs)
 * pass unchanged, for the router to report as internal.
 */
export function setupFailure(error: unknown, step: SetupAppStep, journal: SetupJournal | null): unknown {
  if (!(error instanceof AppFailure)) return error;
  const cause = error.appError;
  const created = createdDetail(journal);
  const made = describeCreated(journal);
  if (cause.code === AppErrorCode.operationCancelled)
    return new AppFailure({
      code: AppErrorCode.operationCancelled,
      message: `The setup was cancelled at “${step}”. ${made}`,
      hint: resumeHint,
      detail: { step, ...created },
    });
  if (isNotPermitted(error, step))
    return new AppFailure({
      code: AppErrorCode.entraSetupNotPermitted,
      message: `${notPermittedMessage(step)} ${made}`,
      hint: 'Retry, signing in with such an account: the setup continues where it stopped, with the same application.',
      detail: { ...cause.detail, step, cause: cause.code, ...created },
    });
  return new AppFailure({
    code: AppErrorCode.entraSetupFailed,
    message: `Setting up certificate sign-in stopped at “${step}”: ${cause.message} ${made}`,
    hint: cause.hint ? `${cause.hint} ${resumeHint}` : resumeHint,
    detail: { ...cause.detail, step, cause: cause.code, ...created },
  });
}

/**
 * A setup of the domain that stopped while working against other endpoints: its journal holds the only private
 * key of an application that may already be registered, so it is neither overwritten nor resumed elsewhere.
 */
export function pendingSetupElsewhere(journal: SetupJournal): AppFailure {
  const where = [
    `cloud ${journal.cloud}`,
    ...(journal.authorityHost ? [`sign-in host ${journal.authorityHost}`] : []),
    ...(journal.graphHost ? [`Graph host ${journal.graphHost}`] : []),
  ].join(', ');
  return new AppFailure({
    code: AppErrorCode.entraSetupPending,
    message: `An unfinished setup of ${journal.domain} (started ${journal.startedAt} for ${where}) is waiting to be continued. ${describeCreated(journal)}`,
    hint: `Run the setup again with the same cloud and hosts (${where}) to continue it, or discard it (discardPending: true; --discard-pending on the command line) to start anew${journal.application ? `, then delete the application ${journal.application.appId} in the Entra admin center (App registrations)` : ''}.`,
    detail: {
      domain: journal.domain,
      cloud: journal.cloud,
      ...(journal.authorityHost ? { authorityHost: journal.authorityHost } : {}),
      ...(journal.graphHost ? { graphHost: journal.graphHost } : {}),
      startedAt: journal.startedAt,
      ...createdDetail(journal),
    },
  });
}

/** A second setup of a domain while one runs would register a second application. */
export function setupAlreadyRunning(domain: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.entraSetupRunning,
    message: `A setup of certificate sign-in for ${domain} is already running.`,
    hint: 'Wait for it to finish, or cancel it, before starting another.',
    detail: { domain },
  });
}
