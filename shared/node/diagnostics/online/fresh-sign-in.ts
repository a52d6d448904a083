import { createHash, X509Certificate } from 'node:crypto';
import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { msalFailure } from '../../entra/msal-failure';
import type { WireProblem } from '../../entra/msal-network';
import { configuration, defaultPublicClientId, type SignedIn, type SignInInput } from '../../entra/sign-in';

/** The auth modes a diagnosis can sign in with unattended; the others need a person at a browser. */
export type UnattendedMode = 'password' | 'clientSecret' | 'certificate';

export function isUnattended(mode: SignInInput['mode']): mode is UnattendedMode {
  return mode === 'password' || mode === 'clientSecret' || mode === 'certificate';
}

function required(value: string | undefined, what: string, code: string, hint: string): string {
  if (value) return value;
  throw new AppFailure({ code, message: `There is no ${what} to sign in with.`, hint });
}

/**
 * One sign-in with the stored credential, through a client of its own: the tests share MSAL clients whose cached
 * tokens would answer without asking the tenant, and a diagnosis must see the tenant accept the credential now.
 * Trust, proxy and error mapping are the tenant test's (configuration, msalFailure).
 */
export async function freshSignIn(input: SignInInput & { mode: UnattendedMode }): Promise<SignedIn> {
  let seen: WireProblem | null = null;
  const record = (problem: WireProblem) => {
    seen = problem;
  };
  const scopes = [input.endpoints.graphScope];
  const enterSecret = (what: string) =>
    `Enter the ${what} of this connection (and Update Remote Agent for the agent’s copy).`;
  try {
    if (input.mode === 'password') {
      const username = required(
        input.userPrincipalName,
        'user name',
        AppErrorCode.inputInvalid,
        'Enter the connection user’s e-mail.',
      );
      const password = required(
        input.secret,
        'password',
        AppErrorCode.entraMissingSecret,
        enterSecret('password'),
      );
      const clientId = input.clientId ?? defaultPublicClientId;
      const app = new PublicClientApplication(configuration(input, clientId, record));
      const result = await app.acquireTokenByUsernamePassword({ scopes, username, password });
      return signedIn(result?.accessToken, { kind: 'user', name: result?.account?.username ?? username });
    }
    const clientId = required(
      input.clientId,
      'application (client) id',
      AppErrorCode.inputInvalid,
      'Enter the application (client) id of the app registration.',
    );
    const config = configuration(input, clientId, record);
    if (input.mode === 'clientSecret') {
      config.auth.clientSecret = required(
        input.secret,
        'client secret',
        AppErrorCode.entraMissingSecret,
        enterSecret('client secret'),
      );
    } else {
      const certificatePem = required(
        input.certificatePem,
        'certificate',
        AppErrorCode.inputInvalid,
        'Choose the certificate (PEM) of this connection.',
      );
      config.auth.clientCertificate = {
        thumbprintSha256: createHash('sha256').update(new X509Certificate(certificatePem).raw).digest('hex'),
        privateKey: required(
          input.secret,
          'certificate’s private key',
          AppErrorCode.entraMissingSecret,
          enterSecret('certificate’s private key'),
        ),
        x5c: certificatePem,
      };
    }
    const result = await new ConfidentialClientApplication(config).acquireTokenByClientCredential({
      scopes,
      skipCache: true,
    });
    return signedIn(result?.accessToken, { kind: 'app', name: clientId });
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    if (input.signal?.aborted)
      throw new AppFailure({ code: AppErrorCode.operationCancelled, message: 'The sign-in was cancelled.' });
    throw msalFailure(error, input, seen);
  }
}

function signedIn(accessToken: string | undefined, principal: SignedIn['principal']): SignedIn {
  if (!accessToken)
    throw new AppFailure({
      code: AppErrorCode.entraSignInFailed,
      message: 'The sign-in returned no access token.',
      hint: 'Run the diagnosis again; if it persists, test the connection to see the sign-in’s own error.',
    });
  return { accessToken, principal, fromCache: false };
}
