import { createHash, X509Certificate } from 'node:crypto';
import {
  type AuthenticationResult,
  ConfidentialClientApplication,
  type Configuration,
  PublicClientApplication,
} from '@azure/msal-node';
import type { z } from 'zod';
import type { AuthModeSchema } from '../../common/connections/connection';
import type { TenantTestResult } from '../../common/entra/tenant-test';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import type { BrowserOpener } from './browser-sign-in';
import type { Endpoints } from './cloud-endpoints';
import { type DeviceCodePrompt, signInInBrowser, signInWithDeviceCode } from './interactive-sign-in';
import { msalFailure } from './msal-failure';
import { msalNetwork, type WireProblem } from './msal-network';

/** Microsoft Graph Command Line Tools: the public client for password and device-code sign-in unless one is named. */
export const defaultPublicClientId = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

export interface SignInInput {
  mode: z.infer<typeof AuthModeSchema>;
  domain: string;
  clientId?: string;
  userPrincipalName?: string;
  /** Password, client secret or PEM private key, by mode. */
  secret?: string;
  certificatePem?: string;
  endpoints: Endpoints;
  caPem?: string;
  /** False: only the bundled roots and `caPem` verify the sign-in and Graph hosts (Settings); absent: on. */
  trustSystemStore?: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  onDeviceCode?: (prompt: DeviceCodePrompt) => void;
  onCall?: (url: string) => void;
  /** Browser sign-in: opens the sign-in page (only the authority's https address is ever passed). */
  openBrowser?: BrowserOpener;
  /** Browser sign-in: the address just opened, for "if no browser opened, open this". */
  onBrowser?: (url: string) => void;
}

export interface SignedIn {
  accessToken: string;
  principal: TenantTestResult['principal'];
  fromCache: boolean;
}

/** The last failure the network client saw for one cached client: MSAL often reports it only vaguely. */
interface WireRecord {
  current: WireProblem | null;
}

// MSAL's token cache lives in these instances: in memory only, one per authority, client and credential. Each
// keeps its own wire record, so concurrent sign-ins of different connections never read each other's failures.
const applications = new Map<
  string,
  { app: PublicClientApplication | ConfidentialClientApplication; wire: WireRecord }
>();

function requireSecret(input: SignInInput, what: string): string {
  if (!input.secret) {
    throw new AppFailure({
      code: AppErrorCode.entraMissingSecret,
      message: `There is no ${what} to sign in with.`,
      hint: `Enter the ${what} of this connection.`,
    });
  }
  return input.secret;
}

export function configuration(
  input: SignInInput,
  clientId: string,
  onProblem: (problem: WireProblem) => void,
): Configuration {
  const authorityUrl = new URL(input.endpoints.authorityHost);
  const microsoftHost = /(^|\.)(microsoftonline\.(com|us)|chinacloudapi\.cn)$/i.test(authorityUrl.hostname);
  return {
    auth: {
      clientId,
      authority: `${input.endpoints.authorityHost}/${input.domain}`,
      // A non-Microsoft host (the emulator, a private endpoint) must be declared, or MSAL asks Microsoft about it.
      ...(microsoftHost ? {} : { knownAuthorities: [authorityUrl.host] }),
    },
    system: {
      networkClient: msalNetwork({
        ...(input.caPem ? { caPem: input.caPem } : {}),
        ...(input.trustSystemStore === false ? { trustSystemStore: false } : {}),
        timeoutMs: input.timeoutMs,
        ...(input.onCall ? { onCall: input.onCall } : {}),
        onProblem,
      }),
    },
  };
}

function cacheKey(input: SignInInput, clientId: string): string {
  const secret = input.secret ? createHash('sha256').update(input.secret).digest('hex') : '';
  return [
    input.mode,
    input.endpoints.authorityHost,
    // A cached token is reused only for the Graph host it was first asked for (a device-code sign-in has no
    // secret to tell requests apart, so without this any Graph host named later would receive it).
    input.endpoints.graphHost,
    input.domain,
    input.userPrincipalName ?? '',
    clientId,
    secret,
    input.caPem ? createHash('sha256').update(input.caPem).digest('hex') : '',
    // A token obtained while the system store counted is not handed out once it no longer does.
    input.trustSystemStore === false ? 'explicit' : 'system',
  ].join('|');
}

/** Drops every cached sign-in (tokens included): the next test signs in from scratch. */
export function forgetSignIns(): void {
  applications.clear();
}

export async function signIn(input: SignInInput): Promise<SignedIn> {
  const scopes = [input.endpoints.graphScope];
  let wire: WireRecord = { current: null };
  const cached = <A extends PublicClientApplication | ConfidentialClientApplication>(
    key: string,
    create: (record: WireRecord) => A,
  ): A => {
    let entry = applications.get(key);
    if (!entry) {
      const record: WireRecord = { current: null };
      entry = { app: create(record), wire: record };
      applications.set(key, entry);
    }
    wire = entry.wire;
    wire.current = null;
    return entry.app as A;
  };
  try {
    if (input.mode === 'clientSecret' || input.mode === 'certificate') {
      const clientId = input.clientId;
      if (!clientId)
        throw new AppFailure({
          code: AppErrorCode.inputInvalid,
          message: 'App-only sign-in needs the application (client) id.',
        });
      const key = cacheKey(input, clientId);
      const app = cached(key, (record) => {
        const config = configuration(input, clientId, (problem) => {
          record.current = problem;
        });
        if (input.mode === 'clientSecret') {
          config.auth.clientSecret = requireSecret(input, 'client secret');
        } else {
          const certificate = new X509Certificate(input.certificatePem ?? '');
          config.auth.clientCertificate = {
            thumbprintSha256: createHash('sha256').update(certificate.raw).digest('hex'),
            privateKey: requireSecret(input, 'certificate’s private key'),
            x5c: input.certificatePem ?? '',
          };
        }
        return new ConfidentialClientApplication(config);
      });
      const result = await app.acquireTokenByClientCredential({ scopes });
      return done(result, { kind: 'app', name: clientId });
    }

    const clientId = input.clientId ?? defaultPublicClientId;
    const key = cacheKey(input, clientId);
    const app = cached(
      key,
      (record) =>
        new PublicClientApplication(
          configuration(input, clientId, (problem) => {
            record.current = problem;
          }),
        ),
    );
    const accounts = await app.getTokenCache().getAllAccounts();
    const account = accounts.find(
      (a) => !input.userPrincipalName || a.username.toLowerCase() === input.userPrincipalName.toLowerCase(),
    );
    if (account) {
      const silent = await app.acquireTokenSilent({ account, scopes }).catch(() => null);
      if (silent) return done(silent, { kind: 'user', name: account.username });
    }
    if (input.mode === 'browser') {
      const { openBrowser } = input;
      if (!openBrowser)
        throw new AppFailure({
          code: AppErrorCode.inputInvalid,
          message: 'There is no browser to sign in with here.',
          hint: 'Use device code, or a certificate, for this connection.',
        });
      const result = await signInInBrowser(app, scopes, input, openBrowser);
      return done(result, { kind: 'user', name: result?.account?.username ?? input.userPrincipalName ?? '' });
    }
    if (input.mode === 'password') {
      const username = input.userPrincipalName;
      if (!username)
        throw new AppFailure({
          code: AppErrorCode.inputInvalid,
          message: 'Password sign-in needs the connection user’s e-mail.',
        });
      const result = await app.acquireTokenByUsernamePassword({
        scopes,
        username,
        password: requireSecret(input, 'password'),
      });
      return done(result, { kind: 'user', name: result?.account?.username ?? username });
    }
    const result = await signInWithDeviceCode(
      app,
      scopes,
      input,
      () =>
        new AppFailure({
          code: AppErrorCode.operationCancelled,
          message: 'The device-code sign-in was cancelled.',
        }),
    );
    return done(result, { kind: 'user', name: result?.account?.username ?? '' });
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    if (input.signal?.aborted)
      throw new AppFailure({ code: AppErrorCode.operationCancelled, message: 'The sign-in was cancelled.' });
    throw msalFailure(error, input, wire.current);
  }
}

function done(result: AuthenticationResult | null, principal: SignedIn['principal']): SignedIn {
  if (!result?.accessToken)
    throw new AppFailure({
      code: AppErrorCode.entraSignInFailed,
      message: 'The sign-in returned no access token.',
    });
  return { accessToken: result.accessToken, principal, fromCache: result.fromCache };
}
