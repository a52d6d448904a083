import {
  type SetupAppRequest,
  SetupAppRequestSchema,
  setupAppSteps,
} from '../../../../shared/common/entra/setup-app';
import type { AppError } from '../../../../shared/common/errors/app-error';
import type { EventPayloadOf } from '../../../../shared/common/ipc/event-map';
import { type FieldErrors, fieldErrorsFromIssues } from '../../forms/field-errors';
import { type Checklist, checklistFailed, plannedChecklist, stepStarted } from '../progress/step-checklist';
import { browserSignInTimeoutMs } from './auth-modes';
import { cloudOf, type MicrosoftOnlineDraft } from './microsoft-online-draft';
import type { BrowserPrompt, DeviceCodePrompt } from './sign-in-state';

// "Set up certificate sign-in for me" as the wizard runs it: the request it sends, and what the page shows.

export type AdminSignIn = NonNullable<SetupAppRequest['signIn']>;

export const adminSignInLabel: Record<AdminSignIn, string> = {
  browser: 'Browser',
  deviceCode: 'Device code',
};

export type SetupRequest = Omit<SetupAppRequest, 'operationId'>;

/** The tenant domain and cloud of the page; the e-mail, when one is typed, only pre-fills the sign-in page. */
export function setupRequestOf(draft: MicrosoftOnlineDraft, signIn: AdminSignIn): SetupRequest {
  const hint = draft.userPrincipalName.trim();
  return {
    domain: draft.tenantDomain.trim().toLowerCase(),
    signIn,
    ...(hint && SetupAppRequestSchema.shape.userPrincipalName.safeParse(hint).success
      ? { userPrincipalName: hint }
      : {}),
    ...cloudOf(draft),
    // A person signs in (and may have to approve on a phone): as long as main allows, as for Browser sign-in.
    timeoutMs: browserSignInTimeoutMs,
  };
}

/** What must be right on the page before the setup starts: the domain, a typed e-mail, the cloud's hosts. */
export function validateSetup(draft: MicrosoftOnlineDraft, signIn: AdminSignIn): FieldErrors {
  const hint = draft.userPrincipalName.trim();
  const request = { ...setupRequestOf(draft, signIn), ...(hint ? { userPrincipalName: hint } : {}) };
  const checked = SetupAppRequestSchema.safeParse({ ...request, operationId: 'check' });
  const errors = checked.success ? {} : fieldErrorsFromIssues(checked.error.issues);
  // The request names the tenant `domain`; the page's field is tenantDomain.
  if (errors.domain !== undefined) {
    errors.tenantDomain = errors.domain;
    delete errors.domain;
  }
  if (errors.tenantDomain === undefined && !draft.tenantDomain.includes('.'))
    errors.tenantDomain = 'enter the tenant’s domain name, e.g. contoso.com';
  if (errors.userPrincipalName !== undefined)
    errors.userPrincipalName = 'enter the administrator’s e-mail, or leave it empty';
  return errors;
}

export type SetupRun =
  | {
      status: 'running';
      request: SetupRequest;
      checklist: Checklist;
      browser: BrowserPrompt | null;
      deviceCode: DeviceCodePrompt | null;
    }
  | { status: 'failed'; request: SetupRequest; checklist: Checklist; error: AppError; cancelled: boolean }
  | { status: 'done'; request: SetupRequest; checklist: Checklist };

export function startedSetup(request: SetupRequest): SetupRun {
  return {
    status: 'running',
    request,
    checklist: plannedChecklist(setupAppSteps),
    browser: null,
    deviceCode: null,
  };
}

/**
 * A progress event of the running setup. The browser address and the device code belong to the administrator's
 * sign-in, the first step: once a later step starts, the sign-in is over and they go.
 */
export function setupProgressed(run: SetupRun, progress: EventPayloadOf<'progress'>, at: number): SetupRun {
  if (run.status !== 'running') return run;
  const signingIn = progress.done === 0;
  return {
    ...run,
    checklist: stepStarted(run.checklist, progress, at),
    browser: signingIn ? (progress.browser ?? run.browser) : null,
    deviceCode: signingIn ? (progress.deviceCode ?? run.deviceCode) : null,
  };
}

/** The setup ended with `error`: the step it names (main's detail.step) fails with it, or stops when cancelled. */
export function setupFailed(run: SetupRun, error: AppError, at: number): SetupRun {
  const cancelled = error.code === 'operation.cancelled';
  const step = typeof error.detail?.step === 'string' ? error.detail.step : undefined;
  return {
    status: 'failed',
    request: run.request,
    // Cancel is no failure of the step: its notice says what was already made and how to go on.
    checklist: checklistFailed(run.checklist, at, {
      note: cancelled ? 'Cancelled' : error.message,
      hint: cancelled ? undefined : error.hint,
      stepName: step,
    }),
    error,
    cancelled,
  };
}

/** What main reports the tenant already holds from this setup, for the failure's facts. */
export function createdSoFar(error: AppError): [string, string | undefined][] {
  const detail = error.detail ?? {};
  const text = (key: string) => {
    const value = detail[key];
    return Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : undefined;
  };
  return [
    ['Stopped at', text('step')],
    ['Application (client) id', text('appId')],
    ['Application object id', text('objectId')],
    ['Service principal', text('servicePrincipalId')],
    ['Permissions granted', text('grantedPermissions')],
    ['Connection', text('connectionId')],
  ];
}
