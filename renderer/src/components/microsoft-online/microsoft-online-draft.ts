import type { z } from 'zod';
import { type CloudSchema, defaultRemoteAgent } from '../../../../shared/common/connections/connection';
import { defaultConnectionName } from '../../../../shared/common/connections/default-name';
import type { ConnectionSaveRequest } from '../../../../shared/common/connections/save-request';
import { SaveMicrosoftOnlineRequestSchema } from '../../../../shared/common/connections/save-request';
import type { EntraTestRequest } from '../../../../shared/common/entra/tenant-test';
import type { AppError } from '../../../../shared/common/errors/app-error';
import type { SettingsView } from '../../../../shared/common/settings';
import { type FieldErrors, fieldErrorsFromIssues } from '../../forms/field-errors';
import { optionalField } from '../../forms/optional-field';
import { type AuthMode, browserSignInTimeoutMs, defaultAuthMode, usesSecret, usesUser } from './auth-modes';

export type Cloud = z.infer<typeof CloudSchema>;

/** What the Microsoft Online wizard collects, as typed. */
export interface MicrosoftOnlineDraft {
  tenantDomain: string;
  authMode: AuthMode;
  userPrincipalName: string;
  clientId: string;
  /** Password, client secret or PEM private key, by mode: write-only, sent to main, never shown back. */
  secret: string;
  certificatePem: string;
  cloud: Cloud;
  authorityHost: string;
  graphHost: string;
  caPem: string;
  adConnectionId: string;
  dcHost: string;
  remoteAgent: { host: string; port: number; useTls: boolean; allowInsecure: boolean };
}

export function newDraft(settings: SettingsView | null): MicrosoftOnlineDraft {
  const defaults = settings?.microsoftOnline;
  return {
    tenantDomain: '',
    authMode: defaultAuthMode,
    userPrincipalName: '',
    clientId: '',
    secret: '',
    certificatePem: '',
    cloud: defaults?.cloud ?? 'global',
    authorityHost: defaults?.authorityHost ?? '',
    graphHost: defaults?.graphHost ?? '',
    caPem: defaults?.caPem ?? '',
    adConnectionId: '',
    dcHost: '',
    remoteAgent: settings?.remoteAgent ?? { ...defaultRemoteAgent },
  };
}

/** The endpoint fields shared by sign-in, save and the Welcome reachability check. */
export function cloudOf(draft: MicrosoftOnlineDraft) {
  return {
    cloud: draft.cloud,
    ...optionalField('authorityHost', draft.authorityHost),
    ...optionalField('graphHost', draft.graphHost),
    ...optionalField('caPem', draft.caPem),
  };
}

function principalOf(draft: MicrosoftOnlineDraft) {
  return {
    ...(usesUser(draft.authMode) ? optionalField('userPrincipalName', draft.userPrincipalName) : {}),
    ...(usesUser(draft.authMode) ? {} : optionalField('clientId', draft.clientId)),
    ...(draft.authMode === 'certificate' ? optionalField('certificatePem', draft.certificatePem) : {}),
  };
}

export function signInRequest(draft: MicrosoftOnlineDraft): Omit<EntraTestRequest, 'operationId'> {
  return {
    domain: draft.tenantDomain.trim(),
    authMode: draft.authMode,
    ...principalOf(draft),
    ...(usesSecret(draft.authMode) && draft.secret ? { secret: draft.secret } : {}),
    ...cloudOf(draft),
    ...(draft.authMode === 'browser' ? { timeoutMs: browserSignInTimeoutMs } : {}),
  };
}

/** One connection per domain: the wizard saves the same sign-in for each domain the admin ticked. */
export function saveRequest(
  draft: MicrosoftOnlineDraft,
  domain: string,
  testedBy: string | undefined,
): ConnectionSaveRequest {
  return {
    kind: 'microsoftOnline',
    name: defaultConnectionName('microsoftOnline', domain),
    tenantDomain: domain,
    authMode: draft.authMode,
    ...principalOf(draft),
    ...(usesSecret(draft.authMode) && draft.secret ? { secret: draft.secret } : {}),
    ...cloudOf(draft),
    ...(draft.adConnectionId && draft.dcHost
      ? { localDomainController: { adConnectionId: draft.adConnectionId, host: draft.dcHost } }
      : {}),
    remoteAgent: draft.remoteAgent,
    ...(testedBy ? { testedBy } : {}),
  };
}

/** Page 2's own checks, before anything is sent. */
export function validateAzure(draft: MicrosoftOnlineDraft): FieldErrors {
  const checked = SaveMicrosoftOnlineRequestSchema.safeParse(
    saveRequest(draft, draft.tenantDomain, undefined),
  );
  const errors = checked.success ? {} : fieldErrorsFromIssues(checked.error.issues);
  delete errors.name;
  if (errors.tenantDomain === undefined && !draft.tenantDomain.includes('.')) {
    errors.tenantDomain = 'enter the tenant’s domain name, e.g. contoso.com';
  }
  if (usesSecret(draft.authMode) && !draft.secret) {
    errors.secret = {
      password: 'enter the connection user’s password',
      clientSecret: 'enter the client secret',
      certificate: 'choose the private key (PEM)',
    }[draft.authMode];
  }
  return errors;
}

/** Which field a sign-in failure concerns, so its message and hint appear under that field. */
const fieldOfCode: Record<string, keyof MicrosoftOnlineDraft> = {
  'entra.invalidCredentials': 'secret',
  'entra.missingSecret': 'secret',
  'entra.invalidClientSecret': 'secret',
  'entra.invalidClientAssertion': 'certificatePem',
  'entra.userNotFound': 'userPrincipalName',
  'entra.accountLocked': 'userPrincipalName',
  'entra.passwordExpired': 'userPrincipalName',
  'entra.blockedByConditionalAccess': 'userPrincipalName',
  'entra.mfaRequired': 'authMode',
  'entra.tenantNotFound': 'tenantDomain',
  'entra.domainNotVerified': 'tenantDomain',
  'entra.appNotFound': 'clientId',
  'entra.consentRequired': 'clientId',
  'entra.unreachable': 'cloud',
  'entra.tlsUntrusted': 'cloud',
  'entra.wrongEndpoint': 'cloud',
};

export function fieldErrorOf(error: AppError): FieldErrors | null {
  const field = fieldOfCode[error.code];
  return field ? { [field]: `${error.message}${error.hint ? ` ${error.hint}` : ''}` } : null;
}
