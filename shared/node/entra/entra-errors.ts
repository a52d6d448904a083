import type { AppError, AppErrorDetail } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';

interface Mapping {
  code: string;
  message: string;
  hint: string;
}

/** The one table of sign-in failures (AADSTS codes as Microsoft's identity platform documents them) → what the admin reads. */
const aadsts: Record<number, Mapping> = {
  50126: {
    code: AppErrorCode.entraInvalidCredentials,
    message: 'Microsoft Entra rejected the user name or password.',
    hint: 'Check the connection user’s password; if it was reset, enter the new one.',
  },
  50076: {
    code: AppErrorCode.entraMfaRequired,
    message: 'This account must use multi-factor authentication, which the password sign-in cannot do.',
    hint: 'Use Browser sign-in for this account, or an app registration with a certificate for unattended use.',
  },
  50079: {
    code: AppErrorCode.entraMfaRequired,
    message: 'This account must register for multi-factor authentication first.',
    hint: 'Sign in once at https://aka.ms/mfasetup, then use Browser sign-in or a certificate.',
  },
  50034: {
    code: AppErrorCode.entraUserNotFound,
    message: 'The tenant has no user with that name.',
    hint: 'Check the connection user’s e-mail (UPN) and the tenant domain.',
  },
  90002: {
    code: AppErrorCode.entraTenantNotFound,
    message: 'Microsoft Entra knows no tenant for that domain.',
    hint: 'Check the domain name, and the cloud (global, US Government, China).',
  },
  7000215: {
    code: AppErrorCode.entraInvalidClientSecret,
    message: 'The client secret is wrong.',
    hint: 'Use the secret’s Value (not its ID) from the app registration, or create a new secret.',
  },
  700027: {
    code: AppErrorCode.entraInvalidClientAssertion,
    message: 'Microsoft Entra rejected the certificate sign-in.',
    hint: 'Upload this certificate to the app registration (Certificates & secrets) and check the private key matches it.',
  },
  700016: {
    code: AppErrorCode.entraAppNotFound,
    message: 'The application (client) id is not registered in this tenant.',
    hint: 'Check the client id, or grant admin consent to the application in this tenant.',
  },
  65001: {
    code: AppErrorCode.entraConsentRequired,
    message: 'The application has not been granted consent in this tenant.',
    hint: 'Grant admin consent to the application’s Microsoft Graph permissions in the Entra admin center.',
  },
  50053: {
    code: AppErrorCode.entraAccountLocked,
    message: 'The account is locked after too many sign-in attempts.',
    hint: 'Wait for the lockout to end or unlock the account, then check the stored password.',
  },
  50055: {
    code: AppErrorCode.entraPasswordExpired,
    message: 'The connection user’s password has expired.',
    hint: 'Sign in once at the portal to set a new password, then enter it here.',
  },
  53003: {
    code: AppErrorCode.entraBlockedByConditionalAccess,
    message: 'A Conditional Access policy blocked this sign-in.',
    hint: 'Ask the tenant’s administrators to exclude this connection or use a compliant sign-in method.',
  },
  9001023: {
    code: AppErrorCode.entraWrongEndpoint,
    message: 'Password sign-in needs the tenant’s own endpoint, not /common.',
    hint: 'Enter the tenant domain (for example contoso.com) rather than a generic one.',
  },
};

// Many tenants block the device-code flow by Conditional Access, as Microsoft recommends; a browser sign-in
// (authorization code with PKCE) passes the same policies with MFA.
const deviceCodeBlocked: Mapping = {
  code: AppErrorCode.entraBlockedByConditionalAccess,
  message: 'A Conditional Access policy of this tenant blocks device-code sign-in.',
  hint: 'Use Browser sign-in instead: it passes multi-factor authentication and Conditional Access.',
};

/** MSAL errors carry the server's `error_codes[0]` as errorNo, and the AADSTS code in the description. */
export function signInError(error: unknown, facts: AppErrorDetail): AppError {
  const { errorNo, errorCode, errorMessage, code } = (error ?? {}) as {
    errorNo?: unknown;
    errorCode?: unknown;
    errorMessage?: unknown;
    code?: unknown;
  };
  const text = `${String(errorMessage ?? '')} ${error instanceof Error ? error.message : ''}`;
  const number = Number(errorNo ?? /AADSTS(\d+)/.exec(text)?.[1] ?? Number.NaN);
  const mapped = number === 53003 && facts.mode === 'deviceCode' ? deviceCodeBlocked : aadsts[number];
  if (mapped)
    return {
      ...mapped,
      detail: { ...facts, aadsts: number, ...(typeof errorCode === 'string' ? { error: errorCode } : {}) },
    };
  if (errorCode === 'authorization_declined') {
    return {
      code: AppErrorCode.entraDeviceCodeDeclined,
      message: 'The device-code sign-in was declined.',
      hint: 'Start again and approve the sign-in in the browser.',
      detail: facts,
    };
  }
  if (errorCode === 'expired_token' || errorCode === 'code_expired') {
    return {
      code: AppErrorCode.entraDeviceCodeExpired,
      message: 'The device code expired before anyone signed in with it.',
      hint: 'Start again and enter the code within 15 minutes.',
      detail: facts,
    };
  }
  const transport = transportError(error, facts);
  if (transport) return transport;
  return {
    code: AppErrorCode.entraSignInFailed,
    message: `The sign-in failed${Number.isFinite(number) ? ` (AADSTS${number})` : typeof errorCode === 'string' ? ` (${errorCode})` : ''}.`,
    hint: 'Check the tenant domain, the account or application and its credentials.',
    detail: {
      ...facts,
      ...(Number.isFinite(number) ? { aadsts: number } : {}),
      ...(typeof errorCode === 'string' ? { error: errorCode } : {}),
      ...(typeof code === 'string' ? { errno: code } : {}),
    },
  };
}

/** Network and TLS failures, whichever layer raised them (MSAL wraps ours in its own errors). */
export function transportError(error: unknown, facts: AppErrorDetail): AppError | null {
  const seen: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    seen.push(`${String(code ?? '')} ${String(message ?? '')}`);
    current = cause;
  }
  const text = seen.join(' ');
  const host = String(facts.host ?? 'the sign-in service');
  if (/CERT|certificate|self.signed|UNABLE_TO_VERIFY|unable to verify/i.test(text)) {
    return {
      code: AppErrorCode.entraTlsUntrusted,
      message: `The TLS certificate of ${host} is not trusted.`,
      hint: 'If a proxy inspects TLS, add its CA to the connection (CA bundle) or to the operating system’s certificate store (trusted unless Settings turns that off); otherwise check the host name.',
      detail: facts,
    };
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|socket hang up/i.test(text)) {
    return {
      code: AppErrorCode.entraUnreachable,
      message: `${host} could not be reached.`,
      hint: 'Check the network, the firewall rules for the Microsoft 365 endpoints and HTTPS_PROXY.',
      detail: facts,
    };
  }
  if (/ETIMEDOUT|timed? ?out/i.test(text)) {
    return {
      code: AppErrorCode.entraTimeout,
      message: `${host} did not answer in time.`,
      hint: 'Try again; check the network and proxy.',
      detail: facts,
    };
  }
  return null;
}
