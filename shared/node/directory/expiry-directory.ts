import type { Connection } from '../../common/connections/connection';
import type { CredentialExpiry } from '../../common/connections/expiry';
import type { AdTestResult } from '../../common/directory/directory-test';
import { directorySource } from '../connections/expiry-sources';
import type { PasswordExpiry } from './expiry-password';

/** What an AD test showed of expiries: the DC's certificate from the handshake, the account's password. */
export function directoryExpiries(result: AdTestResult, password: PasswordExpiry): CredentialExpiry[] {
  const checkedAt = result.checkedAt;
  const learned: CredentialExpiry[] = [];
  if (result.certificate) {
    const validTo = new Date(result.certificate.validTo);
    learned.push({
      what: 'ldapsCertificate',
      notAfter: Number.isNaN(validTo.getTime()) ? null : validTo.toISOString(),
      source: directorySource(result),
      note: result.certificate.subject.slice(0, 500),
      checkedAt,
    });
  }
  learned.push(
    password
      ? { what: 'password', notAfter: password.notAfter, source: result.boundAs, checkedAt }
      : {
          what: 'password',
          notAfter: null,
          source: result.boundAs,
          note: 'The directory did not show msDS-UserPasswordExpiryTimeComputed for this account.',
          checkedAt,
        },
  );
  return learned;
}

/** Whether an AD test describes this saved record: one of its DCs, as its own service account. */
export function describesDirectory(result: AdTestResult) {
  return (connection: Connection): boolean =>
    connection.kind === 'activeDirectory' &&
    connection.bindUser.toLowerCase() === result.boundAs.toLowerCase() &&
    connection.targets.some((target) => directorySource(target) === directorySource(result));
}
