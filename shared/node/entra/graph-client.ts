import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { transportError } from './entra-errors';
import { httpsRequest } from './https-client';

export interface GraphOptions {
  graphHost: string;
  accessToken: string;
  caPem?: string;
  /** False: the operating system's certificate store does not count (Settings). */
  trustSystemStore?: boolean;
  timeoutMs: number;
  /** At most this many attempts on 429/503, waiting what Retry-After says, within `retryBudgetMs` in all. */
  maxTries?: number;
  retryBudgetMs?: number;
  signal?: AbortSignal;
  onCall?: (url: string) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new AppFailure({ code: AppErrorCode.operationCancelled, message: 'The test was cancelled.' }));
    });
  });

/** GET a Graph path as JSON, retrying throttling within bounds and mapping errors to AppErrors naming the step. */
export async function graphGet<T>(path: string, step: string, options: GraphOptions): Promise<T> {
  const maxTries = options.maxTries ?? 3;
  const started = Date.now();
  const url = `${options.graphHost}${path}`;
  for (let attempt = 1; ; attempt += 1) {
    options.onCall?.(url);
    let response: Awaited<ReturnType<typeof httpsRequest>>;
    try {
      response = await httpsRequest(url, {
        method: 'GET',
        headers: {
          authorization: `Bearer ${options.accessToken}`,
          accept: 'application/json',
          ConsistencyLevel: 'eventual',
        },
        ...(options.caPem ? { caPem: options.caPem } : {}),
        ...(options.trustSystemStore === false ? { trustSystemStore: false } : {}),
        timeoutMs: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      const facts = { host: new URL(url).host, step };
      throw new AppFailure(
        transportError(error, facts) ?? {
          code: AppErrorCode.entraUnreachable,
          message: `${facts.host} could not be reached.`,
          detail: facts,
        },
      );
    }
    if (response.status >= 200 && response.status < 300) return JSON.parse(response.text) as T;
    const graphCode = safeCode(response.text);
    const facts = { step, status: response.status, ...(graphCode ? { graphCode } : {}) };
    if (response.status === 429 || response.status === 503) {
      const waitMs = Math.ceil(Number.parseFloat(response.headers['retry-after'] ?? '1') * 1000) || 1000;
      const budget = options.retryBudgetMs ?? 30_000;
      if (attempt < maxTries && Date.now() - started + waitMs <= budget) {
        await sleep(waitMs, options.signal);
        continue;
      }
      throw new AppFailure({
        code: AppErrorCode.entraThrottled,
        message: `Microsoft Graph kept refusing the request as too many (${attempt} tries) while ${step}.`,
        hint: 'Wait a few minutes and test again.',
        detail: { ...facts, tries: attempt },
      });
    }
    if (response.status === 401) {
      throw new AppFailure({
        code: AppErrorCode.entraGraphUnauthorized,
        message: `Microsoft Graph did not accept the sign-in while ${step}.`,
        hint: 'Check the cloud setting: the token must be for this cloud’s Graph.',
        detail: facts,
      });
    }
    if (response.status === 403) {
      throw new AppFailure({
        code: AppErrorCode.entraInsufficientPrivileges,
        message: `The connection lacks the permission needed for ${step}.`,
        hint: 'Grant the app the Microsoft Graph application permissions Organization.Read.All, Domain.Read.All and RoleManagement.Read.Directory, with admin consent.',
        detail: facts,
      });
    }
    if (response.status === 404) {
      throw new AppFailure({
        code: AppErrorCode.entraGraphNotFound,
        message: `Microsoft Graph found nothing while ${step}.`,
        detail: facts,
      });
    }
    throw new AppFailure({
      code: AppErrorCode.entraGraphError,
      message: `Microsoft Graph answered ${response.status} while ${step}.`,
      hint: 'Try again later.',
      detail: facts,
    });
  }
}

function safeCode(text: string): string | null {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}
