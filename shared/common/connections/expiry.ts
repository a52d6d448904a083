import { z } from 'zod';
import { TimestampSchema } from './fields';

// When each credential a connection depends on stops working, as main last learned it. Dates only: a record never
// holds a secret, and none of these facts is one.

/**
 * certificate: the app's own certificate (certificate mode); clientSecret: the app's secret in Entra;
 * password: the AD service account's password; ldapsCertificate: a domain controller's TLS certificate;
 * agentCertificate: the Remote Agent's HTTPS certificate.
 */
export const CredentialKindSchema = z.enum([
  'certificate',
  'clientSecret',
  'password',
  'ldapsCertificate',
  'agentCertificate',
]);

export const CredentialExpirySchema = z.strictObject({
  what: CredentialKindSchema,
  /** When it stops working; 'never' (an AD password that never expires); null when it could not be read. */
  notAfter: z.union([TimestampSchema, z.literal('never')]).nullable(),
  /** Which one: the certificate's SHA-1 thumbprint, the DC's host:port, the agent's origin, the account. */
  source: z.string().min(1).max(300),
  /** Why it is unknown, or what else the admin should know about it. */
  note: z.string().max(500).optional(),
  /** When main learned it (the save, or the test or handshake that showed it). */
  checkedAt: TimestampSchema,
});

export type CredentialKind = z.output<typeof CredentialKindSchema>;
export type CredentialExpiry = z.output<typeof CredentialExpirySchema>;

/** What the panel and the CLI call each kind. */
export const credentialKindLabel: Record<CredentialKind, string> = {
  certificate: 'Certificate',
  clientSecret: 'Client secret',
  password: 'Service account password',
  ldapsCertificate: 'Domain controller certificate',
  agentCertificate: 'Remote Agent certificate',
};

export type ExpiryStateName = 'ok' | 'warning' | 'expired' | 'unknown';

export interface ExpiryState {
  state: ExpiryStateName;
  /** Whole days left (negative once expired); null when unknown or it never expires. */
  daysLeft: number | null;
}

export const defaultWarnDays = 30;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * How `notAfter` looks at `now`: expired from its very instant on, a warning while less than `warnDays` days are
 * left, else ok. 29.9 days left shows as 29 and warns at the default 30; exactly 30 days left does not.
 */
export function expiryState(
  notAfter: CredentialExpiry['notAfter'],
  now: Date,
  warnDays = defaultWarnDays,
): ExpiryState {
  if (notAfter === null) return { state: 'unknown', daysLeft: null };
  if (notAfter === 'never') return { state: 'ok', daysLeft: null };
  const at = Date.parse(notAfter);
  if (Number.isNaN(at)) return { state: 'unknown', daysLeft: null };
  const leftMs = at - now.getTime();
  // Whole days towards zero on both sides: 1.5 days left is 1, expired 1.5 days ago is -1.
  const daysLeft = Math.trunc(leftMs / dayMs) || 0;
  if (leftMs <= 0) return { state: 'expired', daysLeft };
  return { state: leftMs < warnDays * dayMs ? 'warning' : 'ok', daysLeft };
}

const severity: Record<ExpiryStateName, number> = { expired: 3, warning: 2, ok: 1, unknown: 0 };

export interface JudgedExpiry extends ExpiryState {
  credential: CredentialExpiry;
}

/** Every credential judged at `now`, the one needing attention first (then the one ending soonest). */
export function judgeExpiries(
  credentials: readonly CredentialExpiry[] | undefined,
  now: Date,
  warnDays = defaultWarnDays,
): JudgedExpiry[] {
  const endOf = (credential: CredentialExpiry) =>
    credential.notAfter === null || credential.notAfter === 'never'
      ? Number.POSITIVE_INFINITY
      : Date.parse(credential.notAfter);
  return (credentials ?? [])
    .map((credential) => ({ credential, ...expiryState(credential.notAfter, now, warnDays) }))
    .sort((a, b) => severity[b.state] - severity[a.state] || endOf(a.credential) - endOf(b.credential));
}

/** The credential of a connection that needs attention first, or null when none is recorded. */
export function soonestExpiry(
  credentials: readonly CredentialExpiry[] | undefined,
  now: Date,
  warnDays = defaultWarnDays,
): JudgedExpiry | null {
  return judgeExpiries(credentials, now, warnDays)[0] ?? null;
}

/** "in 12 days", "today", "3 days ago", "never", "unknown": one line for a table or a tooltip. */
export function describeDaysLeft(
  { state, daysLeft }: ExpiryState,
  notAfter: CredentialExpiry['notAfter'],
): string {
  if (state === 'unknown') return 'unknown';
  if (notAfter === 'never' || daysLeft === null) return 'never expires';
  if (state === 'expired')
    return daysLeft === 0 ? 'expired' : `expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`;
  if (daysLeft === 0) return 'expires today';
  return `expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
}
