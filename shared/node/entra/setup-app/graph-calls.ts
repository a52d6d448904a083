import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { type GraphTarget, graphErrorOf, parseGraphBody, retryAfterMs, sendToGraph } from '../graph-request';
import { cancellableSleep, setupCancelled } from './cancellable-sleep';

/** Graph with the administrator's delegated token: the setup's reads and writes. */
export type GraphSession = GraphTarget;

export interface GraphAnswer {
  status: number;
  body: Record<string, unknown>;
  /** Graph's error code and message (safe to show: they never echo a credential). */
  graphCode: string | null;
  graphMessage: string | null;
}

const maxThrottledTries = 4;
const throttleBudgetMs = 30_000;

/**
 * One Graph request with any answer returned as it came (the caller decides what a 400 or 409 means), except
 * throttling: 429, and 503 on a read, are retried as Retry-After says within bounds. Transport failures throw.
 */
export async function graphSend(
  session: GraphSession,
  method: 'GET' | 'POST',
  path: string,
  step: string,
  body?: unknown,
): Promise<GraphAnswer> {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    const response = await sendToGraph(session, { method, path, step, body, cancelled: setupCancelled });
    const parsed = parseGraphBody(response.text);
    const { code, message } = graphErrorOf(parsed);
    const throttled = response.status === 429 || (response.status === 503 && method === 'GET');
    if (throttled && attempt < maxThrottledTries) {
      const waitMs = retryAfterMs(response);
      if (Date.now() - started + waitMs <= throttleBudgetMs) {
        await cancellableSleep(waitMs, session.signal);
        continue;
      }
    }
    return { status: response.status, body: parsed, graphCode: code, graphMessage: message };
  }
}

/** The AppFailure for an answer the caller did not expect, naming the step. */
export function graphFailure(answer: GraphAnswer, step: string): AppFailure {
  const detail = {
    step,
    status: answer.status,
    ...(answer.graphCode ? { graphCode: answer.graphCode } : {}),
    ...(answer.graphMessage ? { graphMessage: answer.graphMessage } : {}),
  };
  if (answer.status === 403)
    return new AppFailure({
      code: AppErrorCode.entraInsufficientPrivileges,
      message: `Microsoft Graph refused ${step}: the signed-in account lacks the permission.`,
      detail,
    });
  if (answer.status === 401)
    return new AppFailure({
      code: AppErrorCode.entraGraphUnauthorized,
      message: `Microsoft Graph did not accept the sign-in while ${step}.`,
      hint: 'Check the cloud setting: the token must be for this cloud’s Graph.',
      detail,
    });
  if (answer.status === 429 || answer.status === 503)
    return new AppFailure({
      code: AppErrorCode.entraThrottled,
      message: `Microsoft Graph kept refusing the request as too many while ${step}.`,
      hint: 'Wait a few minutes and retry.',
      detail,
    });
  if (answer.status === 404)
    return new AppFailure({
      code: AppErrorCode.entraGraphNotFound,
      message: `Microsoft Graph found nothing while ${step}.`,
      detail,
    });
  return new AppFailure({
    code: AppErrorCode.entraGraphError,
    message: `Microsoft Graph answered ${answer.status} while ${step}${answer.graphMessage ? `: ${answer.graphMessage}` : '.'}`,
    hint: 'Retry in a moment.',
    detail,
  });
}

/** A request whose only acceptable answers are 2xx: the parsed body, or the failure naming the step. */
export async function graphJson<T>(
  session: GraphSession,
  method: 'GET' | 'POST',
  path: string,
  step: string,
  body?: unknown,
): Promise<T> {
  const answer = await graphSend(session, method, path, step, body);
  if (answer.status >= 200 && answer.status < 300) return answer.body as T;
  throw graphFailure(answer, step);
}

/** `$filter=<property> eq '<value>'`, quoted as OData wants it. */
export function equalsFilter(property: string, value: string): string {
  return `$filter=${encodeURIComponent(`${property} eq '${value.replaceAll("'", "''")}'`)}`;
}
