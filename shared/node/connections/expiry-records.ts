import { createHash, X509Certificate } from 'node:crypto';
import type { Connection } from '../../common/connections/connection';
import type { CredentialExpiry } from '../../common/connections/expiry';
import { agentOriginFor } from './expiry-sources';

// How a record's credential expiries change: what a test or handshake learned replaces what was known of the same
// credential, and a save keeps only what still describes the saved connection.

/** One entry per credential: per DC for their certificates, one of each other kind. */
function keyOf(credential: CredentialExpiry): string {
  return credential.what === 'ldapsCertificate' ? `${credential.what}|${credential.source}` : credential.what;
}

/** `learned` replaces the entries of the same credentials in `known`; the rest stay, in their order. */
export function mergeExpiries(
  known: readonly CredentialExpiry[] | undefined,
  learned: readonly CredentialExpiry[],
): CredentialExpiry[] {
  const replaced = new Set(learned.map(keyOf));
  return [...(known ?? []).filter((credential) => !replaced.has(keyOf(credential))), ...learned].slice(-50);
}

/** SHA-1 of the first certificate of a PEM, upper-case hex: the thumbprint the Entra admin center shows. */
export function sha1Thumbprint(certificatePem: string): string {
  return createHash('sha1').update(new X509Certificate(certificatePem).raw).digest('hex').toUpperCase();
}

/** A certificate connection's own certificate: read from the PEM, no network. */
export function certificateCredential(certificatePem: string, now: Date): CredentialExpiry {
  const checkedAt = now.toISOString();
  try {
    const certificate = new X509Certificate(certificatePem);
    return {
      what: 'certificate',
      notAfter: new Date(certificate.validTo).toISOString(),
      source: sha1Thumbprint(certificatePem),
      checkedAt,
    };
  } catch {
    return {
      what: 'certificate',
      notAfter: null,
      source: 'certificatePem',
      note: 'The certificate could not be read.',
      checkedAt,
    };
  }
}

/**
 * The expiries a saved record keeps: its own certificate read anew; a secret's or password's expiry only while
 * that same secret stays (not re-typed) for the same account or app; certificates only of the DCs and agent it
 * still names. Unknown until the next test or handshake otherwise.
 */
export function expiriesAtSave(
  previous: Connection | undefined,
  next: Connection,
  secretTyped: boolean,
  now: Date,
): CredentialExpiry[] | undefined {
  const known = previous?.kind === next.kind ? (previous.expiries ?? []) : [];
  const kept = known.filter((credential) =>
    stillDescribes(credential, previous as Connection, next, secretTyped),
  );
  const own =
    next.kind === 'microsoftOnline' && next.authMode === 'certificate' && next.certificatePem
      ? [certificateCredential(next.certificatePem, now)]
      : [];
  const merged = mergeExpiries(
    kept.filter((credential) => credential.what !== 'certificate'),
    own,
  );
  return merged.length ? merged : undefined;
}

function stillDescribes(
  credential: CredentialExpiry,
  previous: Connection,
  next: Connection,
  secretTyped: boolean,
): boolean {
  switch (credential.what) {
    case 'password':
      return (
        !secretTyped &&
        previous.kind === 'activeDirectory' &&
        next.kind === 'activeDirectory' &&
        previous.bindUser.toLowerCase() === next.bindUser.toLowerCase()
      );
    case 'clientSecret':
      return (
        !secretTyped &&
        previous.kind === 'microsoftOnline' &&
        next.kind === 'microsoftOnline' &&
        next.authMode === 'clientSecret' &&
        previous.authMode === 'clientSecret' &&
        previous.clientId === next.clientId &&
        previous.tenantDomain === next.tenantDomain
      );
    case 'ldapsCertificate':
      return (
        next.kind === 'activeDirectory' &&
        next.targets.some((target) => `${target.host}:${target.port}` === credential.source)
      );
    case 'agentCertificate':
      return next.kind === 'microsoftOnline' && agentOriginFor(next) === credential.source;
    case 'certificate':
      return false;
  }
}
