import type { z } from 'zod';
import {
  type CloudSchema,
  defaultRemoteAgent,
  type MicrosoftOnlineConnection,
} from '../../../../shared/common/connections/connection';
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

/** The fields of a saved connection, as its edit window starts with them (no secret: it is never sent back). */
export function draftOfConnection(connection: MicrosoftOnlineConnection): MicrosoftOnlineDraft {
  return {
    tenantDomain: connection.tenantDomain,
    authMode: connection.authMode,
    userPrincipalName: connection.userPrincipalName ?? '',
    clientId: connection.clientId ?? '',
    secret: '',
    certificatePem: connection.certificatePem ?? '',
    cloud: connection.cloud,
    authorityHost: connection.authorityHost ?? '',
    graphHost: connection.graphHost ?? '',
    caPem: connection.caPem ?? '',
    adConnectionId: connection.localDomainController?.adConnectionId ?? '',
    dcHost: connection.localDomainController?.host ?? '',
    remoteAgent: connection.remoteAgent,
  };
}

/**
 * How the request names who signs in. An app-only connection may also name an administrator whose roles its
 * test checks (Set up certificate sign-in saves the one who signed in): a saved connection keeps it
 * (`keepRoleHolder`), since the stored key is bound to it, while a new one gets no e-mail the page did not show.
 */
function principalOf(draft: MicrosoftOnlineDraft, keepRoleHolder = false) {
  return {
    ...(usesUser(draft.authMode) || keepRoleHolder
      ? optionalField('userPrincipalName', draft.userPrincipalName)
      : {}),
    ...(usesUser(draft.authMode) ? {} : optionalField('clientId', draft.clientId)),
    // As loaded or as main saved it, byte for byte: the stored key is bound to the exact text, and main keeps the
    // PEM it made (Set up certificate sign-in, Renew certificate) with its final line break.
    ...(draft.authMode === 'certificate' && draft.certificatePem.trim()
      ? { certificatePem: draft.certificatePem }
      : {}),
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
  keepRoleHolder = false,
): ConnectionSaveRequest {
  return {
    kind: 'microsoftOnline',
    name: defaultConnectionName('microsoftOnline', domain),
    tenantDomain: domain,
    authMode: draft.authMode,
    ...principalOf(draft, keepRoleHolder),
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
