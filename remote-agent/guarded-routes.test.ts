import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { AgentStore } from './agent-store';
import { type Agent, buildAgent } from './server';

// Every route Fastify has registered, read from its own route table (printRoutes), must refuse a request without
// the right API key, except the few that are open on purpose. A route added later without the guard fails here
// without anyone having to remember to add a test for it. (openapi-*.test.ts checks the same from the document.)

const apiKey = 'guarded-routes-key';

/** Open on purpose: the health check and the Swagger page with its files. Everything else needs the key. */
const isOpen = (path: string) =>
  path === '/api/health' || path === '/swagger' || path.startsWith('/swagger/');

interface Route {
  method: HTTPMethods;
  path: string;
}

/**
 * The routes of `printRoutes({ commonPrefix: false })`: a tree whose lines are `<segment> (<METHODS>)`, indented
 * four columns per level, each segment continuing its parent's path. A line of another shape fails the parse, so a
 * change of Fastify's format cannot quietly empty the table.
 */
function routesOf(tree: string): Route[] {
  const routes: Route[] = [];
  const parents: string[] = [];
  for (const line of tree.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^((?:[│ ] {3})*)(?:├── |└── )(.+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) throw new Error(`printRoutes line not understood: ${JSON.stringify(line)}`);
    const depth = (match[1] ?? '').length / 4;
    const path = (parents[depth - 1] ?? '') + (match[2] ?? '');
    parents.length = depth;
    parents.push(path);
    for (const method of (match[3] ?? '').split(', ')) routes.push({ method: method as HTTPMethods, path });
  }
  return routes;
}

/** A URL for the route: parameters get a valid domain, a wildcard any file name. */
const urlOf = (path: string) => path.replace(/:[A-Za-z]+/g, 'contoso.test').replace(/\*$/, 'any-file.txt');

let agent: Agent;
let store: AgentStore;
let routes: Route[];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cu-agent-guard-'));
  store = await AgentStore.open(dir, await KeyFileVault.open(dir));
  // The brute-force brake would answer 429 after ten refusals; here every refusal must be seen as itself.
  agent = await buildAgent({ store, apiKey, failedAuthLimit: { max: 100_000, windowMs: 60_000 } });
  await agent.app.ready();
  routes = routesOf(agent.app.printRoutes({ commonPrefix: false }));
});

afterAll(async () => {
  await agent.app.close();
  store.close();
});

const send = (route: Route, authorization?: string) =>
  agent.app.inject({
    method: route.method,
    url: urlOf(route.path),
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(route.method === 'PUT' || route.method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    // A body that passes no schema: the guard must answer before the body is even looked at.
    ...(route.method === 'PUT' || route.method === 'POST' ? { payload: '{}' } : {}),
  });

describe('the route table', () => {
  it('is read completely: the known routes are there, and every route has a method', () => {
    const names = routes.map((route) => `${route.method} ${route.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /api/health',
        'GET /api/connections',
        'HEAD /api/connections',
        'GET /api/connections/:domain',
        'PUT /api/connections/:domain',
        'DELETE /api/connections/:domain',
        'POST /api/Connections/TestConnection',
        'GET /swagger/json',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it('parses nested segments and rejects a line it does not understand', () => {
    expect(routesOf('├── /a (GET)\n│   └── /:b (PUT, DELETE)\n└── /c (POST)\n')).toEqual([
      { method: 'GET', path: '/a' },
      { method: 'PUT', path: '/a/:b' },
      { method: 'DELETE', path: '/a/:b' },
      { method: 'POST', path: '/c' },
    ]);
    expect(() => routesOf('/a GET')).toThrow(/not understood/);
  });
});

describe('every guarded route', () => {
  const guarded = () => routes.filter((route) => !isOpen(route.path));

  it('there are guarded routes to check', () => {
    expect(guarded().length).toBeGreaterThanOrEqual(7);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong key', 'Bearer not-the-key'],
    ['the key without the Bearer scheme', apiKey],
    ['the key with another scheme', `Basic ${apiKey}`],
    ['a prefix of the key', `Bearer ${apiKey.slice(0, -1)}`],
    ['the key with one more character', `Bearer ${apiKey}x`],
  ])('answers 401 agent.unauthorized problem+json to %s', async (_what, authorization) => {
    for (const route of guarded()) {
      const response = await send(route, authorization);
      const where = `${route.method} ${route.path}`;
      expect(response.statusCode, where).toBe(401);
      expect(response.headers['content-type'], where).toMatch(/^application\/problem\+json/);
      if (route.method !== 'HEAD')
        expect(JSON.parse(response.body), where).toMatchObject({ code: 'agent.unauthorized' });
    }
  });

  it('lets the right key through on every one of them (the 401 above is the key’s, not the route’s)', async () => {
    for (const route of guarded()) {
      const response = await send(route, `Bearer ${apiKey}`);
      expect(response.statusCode, `${route.method} ${route.path}`).not.toBe(401);
    }
  });
});

describe('the open routes', () => {
  it('answer without a key, and are only health and Swagger', async () => {
    const open = routes.filter((route) => isOpen(route.path));
    expect(open.map((route) => route.path)).toContain('/api/health');
    for (const route of open) {
      const response = await send(route);
      expect(response.statusCode, `${route.method} ${route.path}`).not.toBe(401);
    }
  });
});

describe('every guarded route while the agent shuts down', () => {
  it('answers 503 agent.shuttingDown, even with the right key, before looking at the key', async () => {
    const stopping = await buildAgent({ store, apiKey, failedAuthLimit: { max: 100_000, windowMs: 60_000 } });
    try {
      stopping.shuttingDown();
      for (const route of routes.filter((each) => !isOpen(each.path))) {
        for (const authorization of [`Bearer ${apiKey}`, undefined]) {
          const response = await stopping.app.inject({
            method: route.method,
            url: urlOf(route.path),
            headers: authorization ? { authorization } : {},
          });
          const where = `${route.method} ${route.path}`;
          expect(response.statusCode, where).toBe(503);
          if (route.method !== 'HEAD')
            expect(JSON.parse(response.body), where).toMatchObject({
              code: 'agent.shuttingDown',
              message: 'The agent is shutting down.',
              hint: 'Retry in a moment.',
            });
        }
      }
    } finally {
      await stopping.app.close();
    }
  });
});
