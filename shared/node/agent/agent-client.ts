import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import {
  type AgentConnection,
  AgentConnectionListSchema,
  type AgentConnectionPut,
  AgentConnectionSchema,
  AgentHealthSchema,
  type TestConnectionResponse,
  TestConnectionResponseSchema,
} from '../../common/agent/agent-api';
import { isLoopbackHost } from '../../common/agent/loopback-host';
import { type Diagnosis, DiagnosisSchema } from '../../common/diagnostics/diagnosis';
import { type AppError, AppErrorSchema, AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { withoutSecretDetailKeys } from './agent-answer-details';
import { verifiedAgentConnection } from './agent-tls';

export interface AgentEndpoint {
  host: string;
  port: number;
  useTls: boolean;
  /** Plain HTTP beyond loopback, as the admin chose it; without it such a request is refused. */
  allowInsecure?: boolean;
  caPem?: string;
}

export interface AgentClientOptions extends AgentEndpoint {
  apiKey?: string;
  /** The whole request, connect to last byte: a server that trickles its answer cannot hold it open longer. */
  timeoutMs?: number;
  /** Aborting destroys the request in flight: a probe or a diagnosis that gave up leaves no socket behind. */
  signal?: AbortSignal;
  /** False: an https agent is verified by the bundled roots and its CA only, not the system store (Settings). */
  trustSystemStore?: boolean;
  /** The certificate pinned for this agent (https): then only that one is accepted. */
  pinnedFingerprint?: string | null;
}

/** Refuses plain HTTP beyond this computer unless the admin allowed it: the API key travels in every request. */
export function assertSecureTransport(endpoint: AgentEndpoint): void {
  if (endpoint.useTls || endpoint.allowInsecure || isLoopbackHost(endpoint.host)) return;
  throw new AppFailure({
    code: AppErrorCode.agentInsecureTransport,
    message: `The Remote Agent at ${baseUrl(endpoint)} would be reached over plain HTTP: its API key and the connection's secret would cross the network readable by anyone on the way. Nothing was sent.`,
    hint: 'Turn on Use TLS (https) — the agent serves HTTPS on any address but loopback — or, only on a network you trust, turn on Allow insecure connection.',
    detail: { url: baseUrl(endpoint) },
  });
}

/**
 * The most any answer but a connection list may hold: an agent's answers are a few KiB, and a server named in a
 * routes file must not be able to fill this process's memory with an endless one.
 */
export const maxAgentAnswerBytes = 1024 * 1024;

/** A connection list: up to 10,000 copies, each with its certificate and CA (PEM), as the fleet contract allows. */
const maxListAnswerBytes = 32 * 1024 * 1024;

function baseUrl({ host, port, useTls }: AgentEndpoint): string {
  return `${useTls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The typed client of the Remote Agent API (remote-agent/), as the utility and its CLI use it. */
export class AgentClient {
  constructor(private readonly options: AgentClientOptions) {}

  get url(): string {
    return baseUrl(this.options);
  }

  health() {
    return this.call('GET', '/api/health', undefined, AgentHealthSchema);
  }

  list() {
    return this.call('GET', '/api/connections', undefined, AgentConnectionListSchema, maxListAnswerBytes);
  }

  put(domain: string, connection: AgentConnectionPut): Promise<AgentConnection> {
    return this.call(
      'PUT',
      `/api/connections/${encodeURIComponent(domain)}`,
      connection,
      AgentConnectionSchema,
    );
  }

  test(domain: string): Promise<TestConnectionResponse> {
    return this.call('POST', '/api/Connections/TestConnection', domain, TestConnectionResponseSchema);
  }

  /** The Microsoft Online stages as the agent's host runs them with its own copy of the domain. */
  diagnose(domain: string): Promise<Diagnosis> {
    return this.call('POST', '/api/diagnostics', { domain }, DiagnosisSchema);
  }

  private call<T extends z.ZodType>(
    method: string,
    path: string,
    body: unknown,
    schema: T,
    maxBytes = maxAgentAnswerBytes,
  ): Promise<z.output<T>> {
    const url = new URL(path, this.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const { signal } = this.options;
    return new Promise((resolve, reject) => {
      assertSecureTransport(this.options);
      if (signal?.aborted) return reject(cancelled(this.url));
      // Ends our own TLS handshake when the request stops before the socket was handed to it.
      const handshake = new AbortController();
      const send = this.options.useTls ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method,
          headers: {
            accept: 'application/json',
            ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
          },
          timeout: timeoutMs,
          // Over https the socket comes from our own handshake, judged before the request may use it.
          ...(this.options.useTls
            ? {
                createConnection: verifiedAgentConnection(
                  this.options,
                  {
                    ...(this.options.caPem ? { caPem: this.options.caPem } : {}),
                    ...(this.options.trustSystemStore === false ? { trustSystemStore: false } : {}),
                    pinnedFingerprint: this.options.pinnedFingerprint ?? null,
                  },
                  timeoutMs,
                  handshake.signal,
                ),
              }
            : {}),
        },
        (response) => {
          const announced = Number(response.headers['content-length']);
          if (announced > maxBytes) return stop(tooLarge(this.url, maxBytes));
          const chunks: Buffer[] = [];
          let received = 0;
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > maxBytes) return stop(tooLarge(this.url, maxBytes));
            chunks.push(chunk);
          });
          // Cut off mid-answer (the server closed, or we destroyed the request): 'end' never comes.
          response.on('error', (error: NodeJS.ErrnoException) => stop(agentUnreachable(this.url, error)));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            if (status >= 200 && status < 300) {
              const parsed = schema.safeParse(withoutSecretDetailKeys(json));
              if (parsed.success) return settle(() => resolve(parsed.data));
              return fail(
                new AppFailure({
                  code: AppErrorCode.agentUnreachable,
                  message: `${this.url} answered, but not like a Remote Agent of this version.`,
                  hint: 'Check the host and port. If it is a Remote Agent, update it to the version of this app (its version is on /api/health), then retry.',
                }),
              );
            }
            fail(new AppFailure(problemToAppError(json, status, this.url)));
          });
        },
      );

      // One outcome per request; whatever ends it first (answer, error, deadline, abort, cap) also destroys it.
      let settled = false;
      const deadline = setTimeout(
        () => stop(agentUnreachable(this.url, Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))),
        timeoutMs,
      );
      const onAbort = () => stop(cancelled(this.url));
      signal?.addEventListener('abort', onAbort, { once: true });
      function settle(outcome: () => void) {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      }
      // A complete answer leaves its socket to the agent's keep-alive pool; anything cut short destroys it.
      function fail(failure: AppFailure) {
        settle(() => reject(failure));
      }
      function stop(failure: AppFailure) {
        fail(failure);
        req.destroy();
        handshake.abort();
      }

      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) =>
        // A refused certificate is already a typed failure with its fingerprints.
        stop(error instanceof AppFailure ? error : agentUnreachable(this.url, error)),
      );
      if (payload) req.write(payload);
      req.end();
    });
  }
}

function cancelled(url: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.operationCancelled,
    message: `The request to the Remote Agent at ${url} was stopped: it was cancelled or ran out of time.`,
    detail: { url },
  });
}

function tooLarge(url: string, maxBytes: number): AppFailure {
  return new AppFailure({
    code: AppErrorCode.agentAnswerTooLarge,
    message: `${url} sent an answer larger than ${maxBytes / (1024 * 1024)} MiB, more than a Remote Agent sends: it was cut off.`,
    hint: 'Check that this host and port are a Remote Agent (npm run agent, port 40002 by default), and the connection or route that names it.',
    detail: { url, maxBytes },
  });
}

/** The agent at `url` gave no answer (refused, timed out, reset): what to check. */
export function agentUnreachable(url: string, error: NodeJS.ErrnoException): AppFailure {
  return new AppFailure({
    code: AppErrorCode.agentUnreachable,
    message: `The Remote Agent at ${url} did not answer (${error.code ?? error.message}).`,
    hint: 'Start the Remote Agent (its service on the host, or npm run agent; port 40002 by default), check the host, port and firewall, then retry.',
    detail: { url, ...(error.code ? { errno: error.code } : {}) },
  });
}

/** The agent answers problem+json carrying an AppError; anything else still becomes one. */
function problemToAppError(json: unknown, status: number, url: string): AppError {
  const { code, message, hint, detail } = (withoutSecretDetailKeys(json) ?? {}) as Record<string, unknown>;
  const told = { code, message, ...(hint ? { hint } : {}) };
  // A detail this version cannot read (another version's facts) must not cost the admin the message and hint.
  const candidate = AppErrorSchema.safeParse(detail ? { ...told, detail } : told);
  const usable = candidate.success ? candidate : AppErrorSchema.safeParse(told);
  if (usable.success) return { ...usable.data, detail: { ...usable.data.detail, status } };
  return {
    code: AppErrorCode.agentUnreachable,
    message: `${url} answered HTTP ${status}.`,
    hint: 'Check the host and port.',
    detail: { status },
  };
}
