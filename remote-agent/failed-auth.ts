import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';

/** How many failed authentications one client address may make per window before it is refused. */
export interface FailedAuthLimit {
  max: number;
  windowMs: number;
}

export const defaultFailedAuthLimit: FailedAuthLimit = { max: 10, windowMs: 60_000 };

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
type Warn = (facts: object, message: string) => void;

export interface FailedAuth {
  /** Throws agent.tooManyFailures (with its Retry-After in seconds) while the request's address is blocked. */
  refuseIfBlocked(request: FastifyRequest): Promise<void>;
  /** Counts one failed authentication of the request's address and logs it, sampled. */
  failed(request: FastifyRequest): Promise<void>;
  /** Writes the counts not yet logged and stops the per-window summary. */
  close(): void;
}

export class TooManyFailures extends AppFailure {
  constructor(readonly retryAfterSeconds: number) {
    super({
      code: AppErrorCode.agentTooManyFailures,
      message: 'Too many requests with a missing or wrong API key came from this address.',
      hint:
        `Wait ${retryAfterSeconds} seconds, then retry with the key from the agent data folder (api-key); ` +
        'check that the client sends that key.',
      detail: { retryAfterSeconds },
    });
  }
}

/**
 * The brute-force brake of the API key. @fastify/rate-limit keeps the count per client address (IPv6 per /64)
 * but only failed authentications increment it, so a client with the right key is never counted; once an
 * address has used up its failures, every protected request from it is refused until the window ends, the
 * right key included: otherwise the block would tell a guesser which key is right. Health and Swagger never
 * pass here. The log gets the first failure of an address, then one count per window while failures go on.
 */
export function failedAuth(limiter: Limiter, limit: FailedAuthLimit, warn: Warn | undefined): FailedAuth {
  /** Failures per address since the last summary; an address absent is logged at its next failure. */
  const unlogged = new Map<string, number>();
  const facts = (request: FastifyRequest, status: number, code: string) => ({
    method: request.method,
    url: request.url.split('?')[0],
    status,
    code,
  });
  const summarise = () => {
    for (const [address, count] of unlogged) {
      // A quiet address is forgotten, so that its next failure is logged again as a first one.
      if (count === 0) unlogged.delete(address);
      else {
        unlogged.set(address, 0);
        warn?.(
          { status: 401, code: AppErrorCode.agentUnauthorized },
          `refused: ${count} more requests with a missing or wrong API key from ${address} ` +
            `in the last ${limit.windowMs / 1000} s`,
        );
      }
    }
  };
  const timer = setInterval(summarise, limit.windowMs);
  timer.unref();
  const note = (request: FastifyRequest, address: string, status: number, code: string) => {
    const count = unlogged.get(address);
    if (count !== undefined) unlogged.set(address, count + 1);
    else {
      unlogged.set(address, 0);
      // The message as before sampling (log readers match on it); the address comes with the counts.
      warn?.(facts(request, status, code), 'refused: missing or wrong API key');
    }
  };

  return {
    async refuseIfBlocked(request) {
      const state = await limiter(request, { increment: false });
      if (state.isAllowed || state.remaining > 0) return;
      const retryAfterSeconds = Math.max(1, state.ttlInSeconds);
      note(request, state.key, 429, AppErrorCode.agentTooManyFailures);
      throw new TooManyFailures(retryAfterSeconds);
    },
    async failed(request) {
      const state = await limiter(request);
      note(request, state.key, 401, AppErrorCode.agentUnauthorized);
    },
    close() {
      clearInterval(timer);
      summarise();
    },
  };
}
