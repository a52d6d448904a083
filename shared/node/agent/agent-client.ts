import { request as httpRequest } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';
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
import { type AppError, AppErrorSchema, AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { httpsAgentFor } from '../tls/tls-context';

export interface AgentEndpoint {
  host: string;
  port: number;
  useTls: boolean;
  caPem?: string;
}

export interface AgentClientOptions extends AgentEndpoint {
  apiKey?: string;
  timeoutMs?: number;
  /** False: an https agent is verified by the bundled roots and its CA only, not the system store (Settings). */
  trustSystemStore?: boolean;
}

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
    return this.call('GET', '/api/connections', undefined, AgentConnectionListSchema);
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

  private call<T extends z.ZodType>(
    method: string,
    path: string,
    body: unknown,
    schema: T,
  ): Promise<z.output<T>> {
    const url = new URL(path, this.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const send = this.options.useTls ? httpsRequestRaw : httpRequest;
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
          ...(this.options.useTls
            ? {
                agent: httpsAgentFor({
                  ...(this.options.caPem ? { caPem: this.options.caPem } : {}),
                  ...(this.options.trustSystemStore === false ? { trustSystemStore: false } : {}),
                }),
              }
            : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
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
              const parsed = schema.safeParse(json);
              if (parsed.success) return resolve(parsed.data);
              return reject(
                new AppFailure({
                  code: AppErrorCode.agentUnreachable,
                  message: `${this.url} answered, but not like a Remote Agent.`,
                  hint: 'Check the host and port.',
                }),
              );
            }
            reject(new AppFailure(problemToAppError(json, status, this.url)));
          });
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          new AppFailure({
            code: AppErrorCode.agentUnreachable,
            message: `The Remote Agent at ${this.url} did not answer (${error.code ?? error.message}).`,
            hint: 'Start the Remote Agent (its service on the host, or npm run agent; port 40002 by default), check the host, port and firewall, then retry.',
            detail: { url: this.url, ...(error.code ? { errno: error.code } : {}) },
          }),
        ),
      );
      if (payload) req.write(payload);
      req.end();
    });
  }
}

/** The agent answers problem+json carrying an AppError; anything else still becomes one. */
function problemToAppError(json: unknown, status: number, url: string): AppError {
  const { code, message, hint, detail } = (json ?? {}) as Record<string, unknown>;
  const candidate = AppErrorSchema.safeParse({
    code,
    message,
    ...(hint ? { hint } : {}),
    ...(detail ? { detail } : {}),
  });
  if (candidate.success) return { ...candidate.data, detail: { ...candidate.data.detail, status } };
  return {
    code: AppErrorCode.agentUnreachable,
    message: `${url} answered HTTP ${status}.`,
    hint: 'Check the host and port.',
    detail: { status },
  };
}
