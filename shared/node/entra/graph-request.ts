import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { transportError } from './entra-errors';
import { type HttpsResponse, httpsRequest } from './https-client';

// One Microsoft Graph request as the connection test, the setup and a certificate roll all send it: the token,
// the connection's trust and time limit, and a transport failure told as an AppFailure naming the step. What an
// answer means (and whether to retry it) is each caller's.

/** Where Graph is, the token to call it with, and what verifies its TLS certificate. */
export interface GraphTarget {
  graphHost: string;
  accessToken: string;
  caPem?: string;
  /** False: the operating system's certificate store does not count (Settings). */
  trustSystemStore?: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface GraphRequest {
  method: 'GET' | 'POST';
  /** From the host on: /v1.0/… */
  path: string;
  /** What the request does, for the error sentences: "reading the application". */
  step: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** When Cancel (the signal) ended the request: this failure instead of the transport's. */
  cancelled?: () => AppFailure;
}

export async function sendToGraph(target: GraphTarget, request: GraphRequest): Promise<HttpsResponse> {
  const url = `${target.graphHost}${request.path}`;
  const { body } = request;
  try {
    return await httpsRequest(url, {
      method: request.method,
      headers: {
        authorization: `Bearer ${target.accessToken}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(target.caPem ? { caPem: target.caPem } : {}),
      ...(target.trustSystemStore === false ? { trustSystemStore: false } : {}),
      timeoutMs: target.timeoutMs,
      ...(target.signal ? { signal: target.signal } : {}),
    });
  } catch (error) {
    if (request.cancelled && target.signal?.aborted) throw request.cancelled();
    const facts = { host: new URL(url).host, step: request.step };
    throw new AppFailure(
      transportError(error, facts) ?? {
        code: AppErrorCode.entraUnreachable,
        message: `${facts.host} could not be reached.`,
        detail: facts,
      },
    );
  }
}

/** An answer's JSON object; {} for an empty, non-object or unreadable body. */
export function parseGraphBody(text: string): Record<string, unknown> {
  try {
    const value: unknown = text ? JSON.parse(text) : {};
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Graph's error code and message in an answer's body (safe to show: they never echo a credential). */
export function graphErrorOf(body: Record<string, unknown>): { code: string | null; message: string | null } {
  const error = (body.error ?? {}) as { code?: unknown; message?: unknown };
  return {
    code: typeof error.code === 'string' ? error.code : null,
    message: typeof error.message === 'string' ? error.message.slice(0, 300) : null,
  };
}

/** How long a throttled answer's Retry-After asks to wait; a second when it says nothing usable. */
export function retryAfterMs(response: HttpsResponse): number {
  return Math.ceil(Number.parseFloat(response.headers['retry-after'] ?? '1') * 1000) || 1000;
}
