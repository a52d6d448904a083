import type { z } from 'zod';
import type { TlsModeSchema } from '../../../../shared/common/connections/connection';
import { defaultConnectionName } from '../../../../shared/common/connections/default-name';
import {
  type ConnectionSaveRequest,
  SaveActiveDirectoryRequestSchema,
} from '../../../../shared/common/connections/save-request';
import { type FieldErrors, fieldErrorsFromIssues } from '../../forms/field-errors';

export type Tls = z.infer<typeof TlsModeSchema>;

/** What the Active Directory wizard collects, as typed. */
export interface ActiveDirectoryDraft {
  name: string;
  /** Once the admin types a name, the domain no longer renames the connection. */
  nameEdited: boolean;
  domain: string;
  host: string;
  port: string;
  tls: Tls;
  allowInsecure: boolean;
  dnsServer: string;
  bindUser: string;
  password: string;
  pinnedFingerprints: string[];
}

export const defaultPort: Record<Tls, string> = { ldaps: '636', starttls: '389', none: '389' };

/** Which wizard step holds each field, so an error sends the admin back to the right page. */
export const stepOfField: Record<string, number> = {
  name: 1,
  domain: 1,
  host: 1,
  port: 1,
  tls: 1,
  dnsServer: 1,
  bindUser: 2,
  password: 2,
};

export function newDraft(): ActiveDirectoryDraft {
  return {
    name: '',
    nameEdited: false,
    domain: '',
    host: '',
    port: defaultPort.ldaps,
    tls: 'ldaps',
    allowInsecure: false,
    dnsServer: '',
    bindUser: '',
    password: '',
    pinnedFingerprints: [],
  };
}

/** Applies what the admin typed; until they name the connection, its name follows the domain. */
export function withPatch(
  draft: ActiveDirectoryDraft,
  patch: Partial<ActiveDirectoryDraft>,
): ActiveDirectoryDraft {
  const next = { ...draft, ...patch };
  if (!next.nameEdited) next.name = defaultConnectionName('activeDirectory', next.domain);
  return next;
}

export function toRequest(draft: ActiveDirectoryDraft): ConnectionSaveRequest {
  return {
    kind: 'activeDirectory',
    name: draft.name.trim() || defaultConnectionName('activeDirectory', draft.domain),
    domain: draft.domain,
    targets: [{ host: draft.host, port: Number(draft.port), tls: draft.tls }],
    trust: { pinnedFingerprints: draft.pinnedFingerprints },
    bindUser: draft.bindUser,
    allowInsecure: draft.allowInsecure,
    ...(draft.dnsServer.trim() ? { dnsServer: draft.dnsServer.trim() } : {}),
    password: draft.password,
  };
}

/** The errors of the steps up to `upToStep`, checked against the save request's schema before anything is sent. */
export function validate(draft: ActiveDirectoryDraft, upToStep: number): FieldErrors {
  const parsed = SaveActiveDirectoryRequestSchema.safeParse(toRequest(draft));
  const errors = parsed.success ? {} : fieldErrorsFromIssues(parsed.error.issues);
  if (!/^\d+$/.test(draft.port)) errors.port = 'enter a port number (636 for LDAPS, 389 for StartTLS)';
  if (!draft.password) errors.password = 'enter the service account’s password';
  return Object.fromEntries(
    Object.entries(errors).filter(([field]) => (stepOfField[field] ?? 0) <= upToStep),
  );
}
