import type { AuthenticationResult, PublicClientApplication } from '@azure/msal-node';
import type { AppFailure } from '../../common/errors/app-error';
import { type BrowserOpener, browserSignIn } from './browser-sign-in';
import type { Endpoints } from './cloud-endpoints';

// The two sign-ins a person completes, in the system browser or with a code in any browser: the connection
// test (sign-in.ts) and the setup's administrator (setup-app/admin-sign-in.ts) run them alike.

export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  message: string;
  expiresInSeconds: number;
}

export interface InteractiveSignInInput {
  /** The login hint. */
  userPrincipalName?: string;
  endpoints: Endpoints;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Browser sign-in: the address just opened, for "if no browser opened, open this". */
  onBrowser?: (url: string) => void;
  onDeviceCode?: (prompt: DeviceCodePrompt) => void;
}

/** Browser sign-in, telling `onBrowser` each address before it is opened. */
export function signInInBrowser(
  app: PublicClientApplication,
  scopes: string[],
  input: InteractiveSignInInput,
  openBrowser: BrowserOpener,
): Promise<AuthenticationResult> {
  return browserSignIn(app, {
    scopes,
    loginHint: input.userPrincipalName,
    authorityHost: input.endpoints.authorityHost,
    openBrowser: async (url) => {
      input.onBrowser?.(url);
      await openBrowser(url);
    },
    signal: input.signal,
    timeoutMs: input.timeoutMs,
  });
}

/**
 * Device-code sign-in. MSAL polls until the code is used or expires; Cancel (the signal) stops the polling, and
 * the sign-in then ends with `cancelled()`, the caller's own words for it.
 */
export async function signInWithDeviceCode(
  app: PublicClientApplication,
  scopes: string[],
  input: InteractiveSignInInput,
  cancelled: () => AppFailure,
): Promise<AuthenticationResult | null> {
  const request = {
    scopes,
    timeout: Math.ceil(input.timeoutMs / 1000),
    cancel: false,
    deviceCodeCallback: (response: {
      userCode: string;
      verificationUri: string;
      message: string;
      expiresIn: number;
    }) =>
      input.onDeviceCode?.({
        userCode: response.userCode,
        verificationUri: response.verificationUri,
        message: response.message,
        expiresInSeconds: response.expiresIn,
      }),
  };
  const onAbort = () => {
    request.cancel = true;
  };
  input.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await app.acquireTokenByDeviceCode(request);
    if (request.cancel) throw cancelled();
    return result;
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
  }
}
