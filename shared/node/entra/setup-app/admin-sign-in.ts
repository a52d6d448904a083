import { type AuthenticationResult, PublicClientApplication } from '@azure/msal-node';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { type BrowserOpener, browserSignIn } from '../browser-sign-in';
import type { Endpoints } from '../cloud-endpoints';
import { signInError, transportError } from '../entra-errors';
import type { WireProblem } from '../msal-network';
import { configuration, defaultPublicClientId, type SignInInput, wireBodyAsError } from '../sign-in';
import { setupCancelled } from './cancellable-sleep';
import { setupScopesFor } from './graph-permissions';

export interface AdminSignInInput {
  mode: 'browser' | 'deviceCode';
  domain: string;
  /** The login hint. */
  userPrincipalName?: string;
  endpoints: Endpoints;
  caPem?: string;
  trustSystemStore?: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  openBrowser: BrowserOpener;
  onBrowser?: (url: string) => void;
  onDeviceCode?: SignInInput['onDeviceCode'];
}

export interface AdminSession {
  accessToken: string;
  /** Who signed in. */
  upn: string;
}

/**
 * The administrator's delegated sign-in for the setup (Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All;
 * Entra shows its admin consent page when the tenant has not consented to them yet). It uses an MSAL client of its
 * own, never the cached ones of sign-in.ts, and clears it afterwards: the token serves this one setup and is gone.
 */
export async function signInAsAdministrator(input: AdminSignInInput): Promise<AdminSession> {
  // Filled in by the network client's callback: MSAL's own errors often only say that a request failed.
  const wire: { current: WireProblem | null } = { current: null };
  const settings: SignInInput = {
    mode: input.mode,
    domain: input.domain,
    endpoints: input.endpoints,
    ...(input.caPem ? { caPem: input.caPem } : {}),
    ...(input.trustSystemStore === false ? { trustSystemStore: false } : {}),
    timeoutMs: input.timeoutMs,
  };
  const app = new PublicClientApplication(
    configuration(settings, defaultPublicClientId, (problem) => {
      wire.current = problem;
    }),
  );
  const scopes = setupScopesFor(input.endpoints.graphScope);
  try {
    const result =
      input.mode === 'browser'
        ? await browserSignIn(app, {
            scopes,
            loginHint: input.userPrincipalName,
            authorityHost: input.endpoints.authorityHost,
            openBrowser: async (url) => {
              input.onBrowser?.(url);
              await input.openBrowser(url);
            },
            signal: input.signal,
            timeoutMs: input.timeoutMs,
          })
        : await deviceCodeSignIn(app, scopes, input);
    if (!result?.accessToken)
      throw new AppFailure({
        code: AppErrorCode.entraSignInFailed,
        message: 'The sign-in returned no access token.',
      });
    return {
      accessToken: result.accessToken,
      upn: result.account?.username ?? input.userPrincipalName ?? '',
    };
  } catch (error) {
    throw failureOf(error, input, wire.current);
  } finally {
    app.clearCache();
  }
}

async function deviceCodeSignIn(
  app: PublicClientApplication,
  scopes: string[],
  input: AdminSignInInput,
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
    if (request.cancel) throw setupCancelled();
    return result;
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
  }
}

/** As sign-in.ts reads MSAL's failures: the wire record says why where MSAL only says it failed. */
function failureOf(error: unknown, input: AdminSignInInput, seen: WireProblem | null): AppFailure {
  if (error instanceof AppFailure) return error;
  if (input.signal?.aborted) return setupCancelled();
  const facts = { host: new URL(input.endpoints.authorityHost).host, domain: input.domain, mode: input.mode };
  const vague = ['endpoints_resolution_error', 'post_request_failed'];
  if (seen && vague.includes(String((error as { errorCode?: unknown }).errorCode))) {
    const fromWire = seen.error
      ? transportError(seen.error, facts)
      : signInError(wireBodyAsError(seen.body), facts);
    if (fromWire) return new AppFailure(fromWire);
  }
  return new AppFailure(signInError(error, facts));
}
