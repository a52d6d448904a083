import { PublicClientApplication } from '@azure/msal-node';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { BrowserOpener } from '../browser-sign-in';
import type { Endpoints } from '../cloud-endpoints';
import { type DeviceCodePrompt, signInInBrowser, signInWithDeviceCode } from '../interactive-sign-in';
import { msalFailure } from '../msal-failure';
import type { WireProblem } from '../msal-network';
import { configuration, defaultPublicClientId, type SignInInput } from '../sign-in';
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
  onDeviceCode?: (prompt: DeviceCodePrompt) => void;
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
        ? await signInInBrowser(app, scopes, input, input.openBrowser)
        : await signInWithDeviceCode(app, scopes, input, setupCancelled);
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
    if (error instanceof AppFailure) throw error;
    if (input.signal?.aborted) throw setupCancelled();
    throw msalFailure(error, input, wire.current);
  } finally {
    app.clearCache();
  }
}
