import type { CertificateInfo } from '../../common/directory/directory-test';
import type { AppError, AppErrorDetail } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { UntrustedCertificateError } from './verifying-tls';

export interface Where {
  host: string;
  port: number;
  elapsedMs: number;
}

/** Raised by our own deadline; mapped like a network timeout. */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

export class CancelledError extends Error {
  override name = 'CancelledError';
}

/**
 * AD's bind failures all arrive as result 49; the reason is the hex "data" code in the diagnostic text
 * ("80090308: LdapErr: DSID-…, comment: AcceptSecurityContext error, data 52e, v…").
 */
const bindReasons: Record<string, { code: string; message: string; hint: string }> = {
  '52e': {
    code: AppErrorCode.adInvalidCredentials,
    message: 'The domain controller rejected the user name or password.',
    hint: 'Check the password of the service account (it may have been reset) and try again.',
  },
  '525': {
    code: AppErrorCode.adNoSuchUser,
    message: 'The domain has no user with that name.',
    hint: 'Use user@domain, DOMAIN\\user or the full distinguished name of the service account.',
  },
  '530': {
    code: AppErrorCode.adLogonRestricted,
    message: 'The service account may not sign in at this time of day.',
    hint: 'Remove the logon-hours restriction from the service account.',
  },
  '531': {
    code: AppErrorCode.adLogonRestricted,
    message: 'The service account may not sign in from this computer.',
    hint: 'Remove the "log on to" workstation restriction from the service account.',
  },
  '532': {
    code: AppErrorCode.adPasswordExpired,
    message: 'The service account’s password has expired.',
    hint: 'Reset the password in Active Directory (and set "password never expires"), then enter it here.',
  },
  '773': {
    code: AppErrorCode.adMustChangePassword,
    message: 'The service account must change its password before it can sign in.',
    hint: 'Clear "User must change password at next logon" or set a new password, then enter it here.',
  },
  '533': {
    code: AppErrorCode.adAccountDisabled,
    message: 'The service account is disabled.',
    hint: 'Enable the account in Active Directory Users and Computers.',
  },
  '775': {
    code: AppErrorCode.adAccountLocked,
    message: 'The service account is locked out after too many wrong passwords.',
    hint: 'Unlock the account in Active Directory, then check the password stored here.',
  },
  '701': {
    code: AppErrorCode.adPasswordExpired,
    message: 'The service account has expired.',
    hint: 'Extend the account’s expiry date in Active Directory.',
  },
};

/** What an error's detail says about a server's certificate, for the admin to compare with the server's own. */
export function certificateFacts(certificate: CertificateInfo): AppErrorDetail {
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    validFrom: certificate.validFrom,
    validTo: certificate.validTo,
    fingerprint: certificate.fingerprint,
    subjectAltNames: certificate.subjectAltNames,
  };
}

export function directoryError(error: unknown, where: Where): AppError {
  const facts: AppErrorDetail = {
    host: where.host,
    port: where.port,
    elapsedMs: Math.round(where.elapsedMs),
  };
  const at = `${where.host}:${where.port}`;
  if (error instanceof CancelledError) {
    return { code: AppErrorCode.operationCancelled, message: 'The test was cancelled.', detail: facts };
  }
  if (error instanceof UntrustedCertificateError) {
    return {
      code: AppErrorCode.adTlsUntrusted,
      message: `The certificate of ${where.host} is not trusted (${error.reason}).`,
      hint: error.systemStoreTrusted
        ? 'Compare the fingerprint with the one on the domain controller, then choose Trust this certificate, or add the issuing CA to the connection or to the operating system’s certificate store.'
        : 'Compare the fingerprint with the one on the domain controller, then choose Trust this certificate, or add the issuing CA to the connection. The operating system’s certificate store is not trusted: Settings → Trust the operating system’s certificate store.',
      detail: {
        ...facts,
        reason: error.reason,
        ...certificateFacts(error.certificate),
        systemStoreTrusted: error.systemStoreTrusted,
      },
    };
  }
  const resultCode = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof resultCode === 'number') {
    if (resultCode === 49) {
      const data = /data ([0-9a-f]{3,4})\b/i.exec(text)?.[1]?.toLowerCase();
      const reason = (data && bindReasons[data]) || bindReasons['52e'];
      return {
        code: reason?.code ?? AppErrorCode.adInvalidCredentials,
        message: reason?.message ?? '',
        hint: reason?.hint,
        detail: { ...facts, ldapResult: 49, ...(data ? { adData: data } : {}) },
      };
    }
    if (resultCode === 8 || resultCode === 13) {
      return {
        code: AppErrorCode.adSslRequired,
        message: 'The domain controller refuses to check a password over an unencrypted connection.',
        hint: 'Turn on Enable SSL (LDAPS on port 636, or StartTLS on 389).',
        detail: { ...facts, ldapResult: resultCode },
      };
    }
    return {
      code: AppErrorCode.adLdapError,
      message: `The domain controller answered with LDAP error ${resultCode}.`,
      hint: 'Check the user name format and the account’s rights, then try again.',
      detail: { ...facts, ldapResult: resultCode },
    };
  }
  const errno = typeof resultCode === 'string' ? resultCode : '';
  if (errno === 'ECONNREFUSED') {
    return {
      code: AppErrorCode.adConnectionRefused,
      message: `Nothing accepts connections on ${at}.`,
      hint: 'Check the host and port (636 for LDAPS, 389 for StartTLS) and that no firewall blocks them.',
      detail: { ...facts, errno },
    };
  }
  if (errno === 'ENOTFOUND' || errno === 'EAI_AGAIN' || errno === 'ENODATA') {
    return {
      code: AppErrorCode.adHostNotFound,
      message: `The name ${where.host} could not be resolved.`,
      hint: 'Check the spelling, or use the domain controller’s IP address or the DNS server of the domain.',
      detail: { ...facts, errno },
    };
  }
  if (error instanceof DeadlineError || errno === 'ETIMEDOUT' || /timeout/i.test(text)) {
    return {
      code: AppErrorCode.adTimeout,
      message: `${at} did not answer within ${Math.round(where.elapsedMs)} ms.`,
      hint: 'Check that the domain controller is running and that a firewall does not silently drop the port.',
      detail: { ...facts, ...(errno ? { errno } : {}) },
    };
  }
  if (/wrong version number|packet length too long|unknown protocol|EPROTO/i.test(`${text} ${errno}`)) {
    return {
      code: AppErrorCode.adTlsFailed,
      message: `${at} does not speak TLS.`,
      hint: 'Use port 636 for LDAPS, or choose StartTLS for port 389.',
      detail: { ...facts, ...(errno ? { errno } : {}) },
    };
  }
  if (/unsupported extended operation|Protocol error/i.test(text)) {
    return {
      code: AppErrorCode.adTlsFailed,
      message: `${at} does not offer StartTLS.`,
      hint: 'Install a certificate on the domain controller, or use LDAPS on port 636.',
      detail: facts,
    };
  }
  return {
    code: AppErrorCode.adConnectionLost,
    message: `The connection to ${at} was lost before the domain controller answered.`,
    hint: 'Check the port and the protocol (LDAPS or StartTLS), then try again.',
    detail: { ...facts, ...(errno ? { errno } : {}) },
  };
}
