import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { type GraphTarget, graphErrorOf, parseGraphBody, retryAfterMs, sendToGraph } from './graph-request';

export interface GraphOptions extends GraphTarget {
  /** At most this many attempts on 429/503, waiting what Retry-After says, within `retryBudgetMs` in all. */
  maxTries?: number;
  retryBudgetMs?: number;
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
    const response = await sendToGraph(options, {
      method: 'GET',
      path,
      step,
      headers: { ConsistencyLevel: 'eventual' },
    });
    if (response.status >= 200 && response.status < 300) return JSON.parse(response.text) as T;
    const graphCode = graphErrorOf(parseGraphBody(response.text)).code;
    const facts = { step, status: response.status, ...(graphCode ? { graphCode } : {}) };
    if (response.status === 429 || response.status === 503) {
      const waitMs = retryAfterMs(response);
      const budget = options.retryBudgetMs ?? 30_000;
      if (attempt < maxTries && Date.now() - started + waitMs <= budget) {
        await sleep(waitMs, options.signal);
        continue;
      }
      const tries = `${attempt} ${attempt === 1 ? 'try' : 'tries'}`;
      // 503 is Graph (or a service behind it) being down, not this client asking too often: say which.
      throw new AppFailure({
        code: AppErrorCode.entraThrottled,
        message:
          response.status === 503
            ? `Microsoft Graph answered 503 Service Unavailable (${tries}) while ${step}.`
            : `Microsoft Graph kept refusing the request as too many (${tries}) while ${step}.`,
        hint:
          response.status === 503
            ? 'Microsoft Graph is unavailable for now: check the Microsoft 365 service health, then test again in a few minutes.'
            : 'Wait a few minutes and test again.',
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
