import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { ProblemSchema } from '../shared/common/agent/agent-problem';
import { AppErrorSchema, AppFailure } from '../shared/common/errors/app-error';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { AgentStore } from './agent-store';
import { type Agent, type AgentOptions, buildAgent } from './server';

// The document's promises, checked for every operation it lists rather than for a list kept here: a route added
// later is held to the same. In process (Fastify's inject), on a real store.

const apiKey = 'document-test-key';
let store: AgentStore;
let agent: Agent;
let document: OpenAPIV3.Document;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cu-openapi-doc-'));
  store = await AgentStore.open(dir, await KeyFileVault.open(dir));
  // Every guarded operation is called twice without the right key: the brake on failed keys must not answer.
  agent = await buildAgent({ store, apiKey, failedAuthLimit: { max: 10_000, windowMs: 60_000 } });
  document = (await agent.app.inject({ url: '/swagger/json' })).json();
});

afterAll(async () => {
  await agent.app.close();
  store.close();
});

interface Operation {
  method: OpenAPIV3.HttpMethods;
  path: string;
  operation: OpenAPIV3.OperationObject;
}

function operations(): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item ?? {})
      .filter(([, value]) => typeof value === 'object' && value !== null && 'responses' in value)
      .map(([method, operation]) => ({
        method: method as OpenAPIV3.HttpMethods,
        path,
        operation: operation as OpenAPIV3.OperationObject,
      })),
  );
}

/** Guarded: every way the operation accepts names a credential (an empty requirement would make it optional). */
const guarded = ({ operation }: Operation) => {
  const security = operation.security ?? document.security ?? [];
  return security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0);
};

/** The operation's URL, each path parameter filled: the guard answers before any parameter is read. */
const urlOf = ({ path }: Operation) => path.replace(/\{[^}]+\}/g, 'contoso.test');
const label = ({ method, path }: Operation) => `${method.toUpperCase()} ${path}`;

describe('the OpenAPI document', () => {
  it('lists operations, some guarded and some open', () => {
    expect(operations().filter(guarded).length).toBeGreaterThan(0);
    expect(operations().filter((operation) => !guarded(operation)).length).toBeGreaterThan(0);
  });

  it('guards every operation it says is guarded: 401 problem+json without a key and with a wrong one', async () => {
    for (const operation of operations().filter(guarded)) {
      for (const headers of [{}, { authorization: 'Bearer wrong-key' }]) {
        const answer = await agent.app.inject({
          method: operation.method.toUpperCase() as 'GET',
          url: urlOf(operation),
          headers,
        });
        expect(answer.statusCode, label(operation)).toBe(401);
        expect(answer.headers['content-type'], label(operation)).toContain('application/problem+json');
        expect(answer.json(), label(operation)).toMatchObject({ code: 'agent.unauthorized', status: 401 });
      }
      expect(Object.keys(operation.operation.responses), label(operation)).toContain('401');
    }
  });

  it('answers every operation it says is open without a key', async () => {
    for (const operation of operations().filter((candidate) => !guarded(candidate))) {
      // Explicitly none, not inherited from the document's default.
      expect(operation.operation.security, label(operation)).toEqual([]);
      const answer = await agent.app.inject({
        method: operation.method.toUpperCase() as 'GET',
        url: urlOf(operation),
      });
      expect([401, 429], label(operation)).not.toContain(answer.statusCode);
    }
  });

  it('names, summarises and tags every operation, with each tag declared and described', () => {
    const tags = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description ?? '']));
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of operations()) {
      const { operationId, summary, tags: used = [] } = operation.operation;
      // A method name for generated clients: lowerCamelCase, letters and digits.
      expect(operationId, label(operation)).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(summary, label(operation)).toBeTruthy();
      expect(used.length, label(operation)).toBeGreaterThan(0);
      for (const tag of used) expect(tags.get(tag), `${label(operation)} ${tag}`).toBeTruthy();
    }
  });

  it('documents every failure as application/problem+json of the one Problem component', () => {
    for (const operation of operations()) {
      const statuses = Object.keys(operation.operation.responses);
      // At least the errors any route can give: a Host not allowed and an error of the agent's own.
      expect(statuses, label(operation)).toEqual(expect.arrayContaining(['421', '500']));
      for (const status of statuses.filter((code) => Number(code) >= 400)) {
        const response = operation.operation.responses[status] as OpenAPIV3.ResponseObject;
        expect(response.description, `${label(operation)} ${status}`).toBeTruthy();
        expect(response.content, `${label(operation)} ${status}`).toEqual({
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        });
      }
    }
    const problem = document.components?.schemas?.Problem as OpenAPIV3.SchemaObject;
    // RFC 9457's members and every AppError field, derived from the one zod schema.
    expect(Object.keys(problem.properties ?? {}).sort()).toEqual(
      [...Object.keys(AppErrorSchema.shape), 'type', 'title', 'status'].sort(),
    );
  });

  it('is versioned, licensed and reachable as the project is', () => {
    expect(document.info.version).toBe(packageJson.version);
    expect(document.info.license).toEqual({ name: packageJson.license });
    expect(document.info.contact).toEqual({ name: packageJson.author.name });
    // Relative: Swagger's Try it out and a generated client call the host the document came from.
    expect(document.servers?.map((server) => server.url)).toEqual(['/']);
  });

  it('answers what the document says a failure looks like, even when an AppError is malformed', async () => {
    const broken = await buildAgent({ store: storeWhoseGetThrows(store), apiKey });
    try {
      const answer = await broken.app.inject({
        url: '/api/connections/contoso.test',
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(answer.statusCode).toBe(500);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(ProblemSchema.parse(answer.json())).toMatchObject({ code: 'internal', status: 500 });
    } finally {
      await broken.app.close();
    }
  });
});

/** The real store, except that get() fails with an AppError the Problem schema refuses (no message). */
function storeWhoseGetThrows(real: AgentStore): AgentOptions['store'] {
  return {
    count: () => real.count(),
    list: () => real.list(),
    put: (domain, body) => real.put(domain, body),
    delete: (domain) => real.delete(domain),
    withSecret: (domain) => real.withSecret(domain),
    get: () => {
      throw new AppFailure({ code: 'agent.broken', message: '' });
    },
  };
}
