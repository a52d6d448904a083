import { createHash, X509Certificate } from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { AppCertificate } from '../app-certificate';
import type { Endpoints } from '../cloud-endpoints';
import { signInError, transportError } from '../entra-errors';
import { wireBodyAsError } from '../msal-failure';
import type { WireProblem } from '../msal-network';
import { configuration, type SignInInput } from '../sign-in';
import { cancellableSleep, setupCancelled } from './cancellable-sleep';

export interface PropagationInput {
  domain: string;
  endpoints: Endpoints;
  caPem?: string;
  trustSystemStore?: boolean;
  /** Each sign-in's time limit. */
  timeoutMs: number;
  /** How long to keep trying in all. */
  budgetMs: number;
  appId: string;
  certificate: AppCertificate;
  /** The application permissions the token must carry before the application counts as usable. */
  permissions: readonly string[];
  signal?: AbortSignal;
  /** The pause after the first refusal; each next one is half as long again, up to `maxPauseMs`. */
  firstPauseMs?: number;
  maxPauseMs?: number;
}

// While Entra replicates a new application, its token service answers AADSTS700016 (no such application), then
// 7000229 (no service principal), 700027 (the certificate not known yet) or 500011, and then tokens without
// the roles granted last. Anything else is a real failure.
const notYetCodes = new Set([700016, 7000229, 700027, 500011]);
const unsettled = new Set<string>([AppErrorCode.entraUnreachable, AppErrorCode.entraTimeout]);

type Attempt = { usable: true } | { usable: false; why: string };

/** App-only sign-ins with the new certificate, with growing pauses, until Entra issues a token with every role. */
export async function waitUntilUsable(input: PropagationInput): Promise<{ attempts: number; ms: number }> {
  const started = Date.now();
  let pause = input.firstPauseMs ?? 1000;
  for (let attempts = 1; ; attempts += 1) {
    if (input.signal?.aborted) throw setupCancelled();
    const attempt = await cancellable(tryAppOnlySignIn(input), input.signal);
    if (attempt.usable) return { attempts, ms: Date.now() - started };
    if (Date.now() - started + pause > input.budgetMs)
      throw new AppFailure({
        code: AppErrorCode.entraTimeout,
        message: `Microsoft Entra did not accept the new application within ${Math.round(input.budgetMs / 1000)} s (${attempts} sign-ins; last: ${attempt.why}).`,
        hint: 'Retry in a few minutes: the setup continues with the same application.',
        detail: { appId: input.appId, attempts, last: attempt.why },
      });
    await cancellableSleep(pause, input.signal);
    pause = Math.min(Math.round(pause * 1.5), input.maxPauseMs ?? 10_000);
  }
}

/** Ends with operation.cancelled as soon as Cancel comes, leaving the sign-in to finish unheard. */
function cancellable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise((resolve, reject) => {
    const stop = () => reject(setupCancelled());
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** One sign-in with a client of its own: a token cached while grants were still missing is never reused. */
async function tryAppOnlySignIn(input: PropagationInput): Promise<Attempt> {
  const wire: { current: WireProblem | null } = { current: null };
  const settings: SignInInput = {
    mode: 'certificate',
    domain: input.domain,
    endpoints: input.endpoints,
    ...(input.caPem ? { caPem: input.caPem } : {}),
    ...(input.trustSystemStore === false ? { trustSystemStore: false } : {}),
    timeoutMs: input.timeoutMs,
  };
  const config = configuration(settings, input.appId, (problem) => {
    wire.current = problem;
  });
  config.auth.clientCertificate = {
    thumbprintSha256: createHash('sha256')
      .update(new X509Certificate(input.certificate.pem).raw)
      .digest('hex'),
    privateKey: input.certificate.privateKeyPem,
    x5c: input.certificate.pem,
  };
  const app = new ConfidentialClientApplication(config);
  try {
    const result = await app.acquireTokenByClientCredential({ scopes: [input.endpoints.graphScope] });
    const roles = rolesOf(result?.accessToken ?? '');
    const missing = input.permissions.filter((permission) => !roles.includes(permission));
    return missing.length
      ? { usable: false, why: `the token lacks ${missing.join(', ')}` }
      : { usable: true };
  } catch (error) {
    const facts = {
      host: new URL(input.endpoints.authorityHost).host,
      domain: input.domain,
      mode: 'certificate',
    };
    const seen = wire.current;
    const mapped =
      (seen?.error ? transportError(seen.error, facts) : null) ??
      (seen?.body ? signInError(wireBodyAsError(seen.body), facts) : null) ??
      signInError(error, facts);
    const aadsts = mapped.detail?.aadsts;
    if (typeof aadsts === 'number' && notYetCodes.has(aadsts))
      return { usable: false, why: `AADSTS${aadsts}` };
    if (unsettled.has(mapped.code)) return { usable: false, why: mapped.code };
    throw new AppFailure(mapped);
  } finally {
    app.clearCache();
  }
}

function rolesOf(accessToken: string): string[] {
  try {
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as {
      roles?: unknown;
    };
    return Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  } catch {
    return [];
  }
}
