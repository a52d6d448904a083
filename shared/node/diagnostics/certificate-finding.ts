import { expiryState } from '../../common/connections/expiry';
import type { CertificateInfo, VouchedBy } from '../../common/directory/directory-test';
import { AppErrorCode } from '../../common/errors/error-codes';
import { certificateFacts } from '../directory/directory-errors';
import type { StageFinding } from './stage-runner';

const vouchedWords: Record<VouchedBy, string> = {
  pinned: 'trusted because it is pinned',
  connectionCa: 'vouched for by the connection’s CA',
  bundled: 'vouched for by the bundled public roots',
  system: 'vouched for by the operating system’s certificate store',
};

/** The common name of a distinguished name as describeCertificate spells it ("CN=x, O=y"), else all of it. */
export function commonName(name: string): string {
  return /(?:^|, )CN=([^,]+)/.exec(name)?.[1] ?? name;
}

/**
 * What a TLS stage says of a certificate that passed: who it names, who issued it, until when, and which trust
 * store vouched for it; a warning when it expires within 30 days.
 */
export function certificateFinding(
  certificate: CertificateInfo,
  where: string,
  now = new Date(),
): StageFinding {
  const validTo = new Date(certificate.validTo);
  const until = Number.isNaN(validTo.getTime()) ? certificate.validTo : validTo.toISOString().slice(0, 10);
  const vouched = certificate.vouchedBy ? vouchedWords[certificate.vouchedBy] : 'vouched for by a trusted CA';
  const detail = `${commonName(certificate.subject)}, issued by ${commonName(certificate.issuer)}, valid until ${until}, ${vouched}`;
  const state = expiryState(Number.isNaN(validTo.getTime()) ? null : validTo.toISOString(), now);
  if (state.state !== 'warning' && state.state !== 'expired') return { detail };
  return {
    detail,
    warning: {
      code: AppErrorCode.tlsCertificateExpiresSoon,
      message:
        state.state === 'expired'
          ? `The certificate of ${where} has expired; it is accepted only because it is pinned.`
          : `The certificate of ${where} expires in ${state.daysLeft} day(s), on ${until}.`,
      hint: 'Renew the server’s certificate before it expires, then test the connection again.',
      detail: { ...certificateFacts(certificate), daysLeft: state.daysLeft },
    },
  };
}
