import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FailedAuthLimit, failedAuth, TooManyFailures } from './failed-auth';

// The brute-force brake of the API key with @fastify/rate-limit's real limiter: how long a blocked address
// waits, and what the log gets per window. (server.test.ts checks the same through the HTTP layer.)

const apps: FastifyInstance[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/**
 * The brake on a Fastify app of its own, reached through real requests (the limiter reads Fastify's request):
 * `check(ip)` is the guard's first step and says how long the address is blocked (0: not), `fail(ip)` counts one
 * failed authentication.
 */
async function brake(limit: FailedAuthLimit) {
  const app = Fastify();
  apps.push(app);
  await app.register(rateLimit, { global: false });
  const warned: { facts: object; message: string }[] = [];
  const failures = failedAuth(
    app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs }),
    limit,
    (facts, message) => warned.push({ facts, message }),
  );
  app.get('/api/connections', async (request) => {
    if ((request.query as { fail?: string }).fail) {
      await failures.failed(request);
      return { blockedFor: 0 };
    }
    try {
      await failures.refuseIfBlocked(request);
      return { blockedFor: 0 };
    } catch (error) {
      if (!(error instanceof TooManyFailures)) throw error;
      return { blockedFor: error.retryAfterSeconds };
    }
  });
  const ask = async (remoteAddress: string, query: string) =>
    (await app.inject({ url: `/api/connections?${query}`, remoteAddress })).json<{ blockedFor: number }>()
      .blockedFor;
  return {
    failures,
    warned,
    check: (ip: string) => ask(ip, 'x=1'),
    fail: async (ip: string) => {
      await ask(ip, 'fail=1');
    },
  };
}

describe('TooManyFailures', () => {
  it('says how long to wait and what to check', () => {
    expect(new TooManyFailures(42).appError).toEqual({
      code: 'agent.tooManyFailures',
      message: 'Too many requests with a missing or wrong API key came from this address.',
      hint: 'Wait 42 seconds, then retry with the key from the agent data folder (api-key); check that the client sends that key.',
      detail: { retryAfterSeconds: 42 },
    });
  });
});

describe('failedAuth', () => {
  it('blocks an address after its failures, for what is left of the window', async () => {
    const { failures, check, fail } = await brake({ max: 2, windowMs: 30_000 });
    expect(await check('198.51.100.20')).toBe(0);
    await fail('198.51.100.20');
    expect(await check('198.51.100.20')).toBe(0);
    await fail('198.51.100.20');
    const blockedFor = await check('198.51.100.20');
    expect(blockedFor).toBeGreaterThanOrEqual(29);
    expect(blockedFor).toBeLessThanOrEqual(30);
    expect(await check('198.51.100.21')).toBe(0);
    failures.close();
  });

  it('logs the first failure of an address, then per window how many more came, counting each window anew', async () => {
    const windowMs = 300;
    const { failures, warned, fail } = await brake({ max: 1000, windowMs });
    await fail('198.51.100.30');
    expect(warned).toEqual([
      {
        facts: { method: 'GET', url: '/api/connections', status: 401, code: 'agent.unauthorized' },
        message: 'refused: missing or wrong API key',
      },
    ]);
    await fail('198.51.100.30');
    await fail('198.51.100.30');
    await expect.poll(() => warned.length, { timeout: 10 * windowMs }).toBeGreaterThanOrEqual(2);
    expect(warned[1]).toEqual({
      facts: { status: 401, code: 'agent.unauthorized' },
      message: expect.stringMatching(
        /^refused: [12] more requests with a missing or wrong API key from 198\.51\.100\.30 in the last 0\.3 s$/,
      ),
    });
    await fail('198.51.100.30');
    // Each window reports only its own failures: 3 after the first in all, however the windows fell.
    const reported = () =>
      warned.slice(1).reduce((sum, entry) => sum + Number(/(\d+) more/.exec(entry.message)?.[1] ?? 0), 0);
    await expect.poll(reported, { timeout: 10 * windowMs }).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 3 * windowMs));
    expect(reported()).toBe(3);
    failures.close();
  });

  it('forgets a quiet address, so its next failure is logged as a first one again', async () => {
    const windowMs = 200;
    const { failures, warned, fail } = await brake({ max: 1000, windowMs });
    await fail('198.51.100.40');
    // One window with nothing new (the count goes to 0), then one more in which it is forgotten.
    await new Promise((resolve) => setTimeout(resolve, 3 * windowMs));
    await fail('198.51.100.40');
    expect(warned.map((entry) => entry.message)).toEqual([
      'refused: missing or wrong API key',
      'refused: missing or wrong API key',
    ]);
    failures.close();
  });

  it('keeps no process alive, and close() writes the open counts and stops its timer', async () => {
    const started = vi.spyOn(globalThis, 'setInterval');
    const stopped = vi.spyOn(globalThis, 'clearInterval');
    const { failures, warned, fail } = await brake({ max: 1000, windowMs: 60_000 });
    const timer = started.mock.results.at(-1)?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await fail('198.51.100.50');
    await fail('198.51.100.50');
    failures.close();
    expect(stopped).toHaveBeenCalledWith(timer);
    expect(warned.at(-1)?.message).toBe(
      'refused: 1 more requests with a missing or wrong API key from 198.51.100.50 in the last 60 s',
    );
  });
});
