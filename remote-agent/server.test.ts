import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppErrorSchema, AppFailure } from '../shared/common/errors/app-error';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { AgentStore } from './agent-store';
import { type Agent, type AgentOptions, buildAgent } from './server';

// The HTTP layer in process (Fastify's inject), on a real store: what each failure answers, that responses
// cannot carry what their schema does not list, and that the OpenAPI document stays OpenAPI 3.0.

const apiKey = 'test-key';
const auth = { authorization: `Bearer ${apiKey}` };
const json = { ...auth, 'content-type': 'application/json' };
const connection = JSON.stringify({
  authMode: 'password',
  userPrincipalName: 'admin@contoso.test',
  secret: 'Secret-Pa55!',
});

let store: AgentStore;
let agent: Agent;
/** The same store, except that get() returns the row with its secret opened, as a careless change might. */
let leaky: Agent;
const logged: { facts: object; message: string }[] = [];

/** The real store, except for get(): the one method a test makes misbehave. */
function storeWithGet(get: AgentOptions['store']['get']): AgentOptions['store'] {
  return {
    count: () => store.count(),
    list: () => store.list(),
    put: (domain, body) => store.put(domain, body),
    delete: (domain) => store.delete(domain),
    withSecret: (domain) => store.withSecret(domain),
    get,
  };
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cu-agent-http-'));
  store = await AgentStore.open(dir, await KeyFileVault.open(dir));
  agent = await buildAgent({
    store,
    apiKey,
    log: { warn: (facts, message) => logged.push({ facts, message }) },
  });
  leaky = await buildAgent({
    store: storeWithGet((domain) => {
      const found = store.get(domain);
      return found && { ...found, secret: 'Secret-Pa55!' };
    }),
    apiKey,
  });
  await agent.app.inject({
    method: 'PUT',
    url: '/api/connections/contoso.test',
    headers: json,
    payload: connection,
  });
});

afterAll(async () => {
  await agent.app.close();
  await leaky.app.close();
  store.close();
});

const problemOf = (body: string) => {
  const { type, title, status, ...appError } = JSON.parse(body) as Record<string, unknown>;
  return { type, title, status, appError: AppErrorSchema.parse(appError) };
};

describe('the agent’s HTTP layer', () => {
  const put = (headers: Record<string, string>, payload: string) => ({
    method: 'PUT' as const,
    url: '/api/connections/contoso.test',
    headers,
    payload,
  });
  it.each([
    { case: 'a missing key', status: 401, code: 'agent.unauthorized', request: { url: '/api/connections' } },
    { case: 'an unknown route', status: 404, code: 'agent.notFound', request: { url: '/nowhere' } },
    {
      case: 'an unknown domain',
      status: 404,
      code: 'agent.unknownDomain',
      request: { url: '/api/connections/nowhere.test', headers: auth },
    },
    {
      case: 'a domain that is not a DNS name',
      status: 400,
      code: 'input.invalid',
      request: { url: '/api/connections/..%2Fx', headers: auth },
    },
    {
      case: 'a URL longer than the router takes',
      status: 414,
      code: 'input.invalid',
      request: { url: `/api/connections/${'a'.repeat(600)}`, headers: auth },
    },
    { case: 'unreadable JSON', status: 400, code: 'input.invalid', request: put(json, '{"authMode":') },
    { case: 'an empty JSON body', status: 400, code: 'input.invalid', request: put(json, '') },
    { case: 'a __proto__ key', status: 400, code: 'input.invalid', request: put(json, '{"__proto__":{}}') },
    {
      case: 'a media type no parser takes',
      status: 415,
      code: 'input.invalid',
      request: put({ ...auth, 'content-type': 'application/xml' }, '<x/>'),
    },
    {
      case: 'a body over 64 KiB',
      status: 413,
      code: 'input.invalid',
      request: put(json, JSON.stringify({ secret: 'x'.repeat(70 * 1024) })),
    },
    {
      case: 'a body that fails its schema',
      status: 400,
      code: 'input.invalid',
      request: put(json, '{"authMode":"password"}'),
    },
    {
      case: 'a TestConnection body that is not a domain',
      status: 400,
      code: 'input.invalid',
      request: {
        method: 'POST' as const,
        url: '/api/Connections/TestConnection',
        headers: json,
        payload: '{"domain":"contoso.test"}',
      },
    },
  ])('answers $case with a problem+json $status', async ({ status, code, request }) => {
    const answer = await agent.app.inject(request);
    expect(answer.statusCode).toBe(status);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    const problem = problemOf(answer.body);
    expect(problem).toMatchObject({
      type: `urn:connection-utility:error:${code}`,
      status,
      appError: { code },
    });
    expect(problem.title).toBe(problem.appError.message);
  });

  it('names the failing fields of a schema, never their values', async () => {
    const answer = await agent.app.inject({
      method: 'PUT',
      url: '/api/connections/contoso.test',
      headers: json,
      payload: JSON.stringify({ authMode: 'password', secret: 42, userPrincipalName: 'Secret-Pa55!' }),
    });
    expect(problemOf(answer.body).appError).toEqual({
      code: 'input.invalid',
      message: 'The connection is missing fields or has wrong ones.',
      detail: {
        issues: expect.arrayContaining([
          expect.stringMatching(/^secret: /),
          expect.stringMatching(/^userPrincipalName: /),
        ]),
      },
    });
    expect(answer.body).not.toContain('Secret-Pa55!');
  });

  it('logs each failure once, with its status and code only', async () => {
    logged.splice(0);
    await agent.app.inject({ method: 'GET', url: '/api/connections/nowhere.test?x=secret', headers: auth });
    expect(logged).toEqual([
      {
        facts: {
          method: 'GET',
          url: '/api/connections/nowhere.test',
          status: 404,
          code: 'agent.unknownDomain',
        },
        message: 'request failed',
      },
    ]);
  });

  /** An agent whose store throws `thrown` on every read, asked for one connection; its log lines land in `logged`. */
  async function whenGetThrows(
    thrown: Error,
    check: (answer: Awaited<ReturnType<Agent['app']['inject']>>) => void,
  ): Promise<void> {
    const failing = await buildAgent({
      store: storeWithGet(() => {
        throw thrown;
      }),
      apiKey,
      log: { warn: (facts, message) => logged.push({ facts, message }) },
    });
    try {
      logged.splice(0);
      check(await failing.app.inject({ url: '/api/connections/contoso.test', headers: auth }));
    } finally {
      await failing.app.close();
    }
  }

  it.each([
    { statusCode: 403, code: 'EACCES' },
    { statusCode: 401, code: undefined },
    { statusCode: 413, code: 'SQLITE_TOOBIG' },
  ])(
    'answers a store error carrying statusCode $statusCode as a bare 500, not as the client’s fault',
    async ({ statusCode, code }) => {
      await whenGetThrows(
        Object.assign(new Error('EACCES: /srv/agent/Secret-Pa55!/agent.db'), { statusCode, code }),
        (answer) => {
          expect(answer.statusCode).toBe(500);
          expect(problemOf(answer.body).appError).toEqual({
            code: 'internal',
            message: 'The agent hit an unexpected error.',
          });
          expect(answer.body).not.toContain('Secret-Pa55!');
          // Logged as what it is: a failure of ours, not a refused key.
          expect(logged).toEqual([
            {
              facts: { method: 'GET', url: '/api/connections/contoso.test', status: 500, code: 'internal' },
              message: 'request failed',
            },
          ]);
        },
      );
    },
  );

  it('answers an AppFailure that breaks the contract as a bare 500 and logs its broken fields, not their values', async () => {
    const broken = new AppFailure({
      code: 'agent.broken',
      message: 'm',
      detail: { password: 'Secret-Pa55!' },
    });
    await whenGetThrows(broken, (answer) => {
      expect(answer.statusCode).toBe(500);
      expect(problemOf(answer.body).appError).toMatchObject({ code: 'internal' });
      expect(answer.body).not.toContain('Secret-Pa55!');
      expect(logged).toHaveLength(1);
      const facts = logged[0]?.facts as { code: string; error: Error };
      expect(facts.code).toBe('internal');
      expect(facts.error.message).toBe(
        'an error broke the AppError contract: detail.password: Invalid key in record',
      );
    });
  });

  it('refuses to send a response with a field its schema does not list, such as a secret', async () => {
    const answer = await leaky.app.inject({
      method: 'GET',
      url: '/api/connections/contoso.test',
      headers: auth,
    });
    expect(answer.statusCode).toBe(500);
    expect(problemOf(answer.body).appError).toEqual({
      code: 'internal',
      message: 'The agent hit an unexpected error.',
    });
    expect(answer.body).not.toContain('Secret-Pa55!');
    // The same row through the whitelisting schema, without the extra field, is served.
    const served = await agent.app.inject({
      method: 'GET',
      url: '/api/connections/contoso.test',
      headers: auth,
    });
    expect(served.statusCode).toBe(200);
    expect(served.json()).not.toHaveProperty('secret');
  });

  it('answers a request that is not HTTP with a problem+json 400 on the socket', async () => {
    const url = await agent.app.listen({ host: '127.0.0.1', port: 0 });
    const raw = await new Promise<string>((done, fail) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1', () =>
        socket.write('GET / HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n'),
      );
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', fail);
    });
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toContain('Content-Type: application/problem+json');
    expect(problemOf(body)).toMatchObject({ status: 400, appError: { code: 'input.invalid' } });
  });
});

describe('failed authentications', () => {
  const window = { max: 10, windowMs: 1_000 };
  const from = (remoteAddress: string, headers: Record<string, string> = {}) => ({
    method: 'GET' as const,
    url: '/api/connections',
    remoteAddress,
    headers,
  });
  const wrong = { authorization: 'Bearer wrong-key' };
  let limited: Agent;
  const warned: { facts: object; message: string }[] = [];

  beforeAll(async () => {
    limited = await buildAgent({
      store,
      apiKey,
      failedAuthLimit: window,
      log: { warn: (facts, message) => warned.push({ facts, message }) },
    });
  });
  afterAll(() => limited.app.close());

  it('answers 429 problem+json with Retry-After after 10 wrong keys, right key included, until it elapses', async () => {
    const address = '198.51.100.7';
    for (let attempt = 1; attempt <= window.max; attempt++)
      expect((await limited.app.inject(from(address, wrong))).statusCode).toBe(401);
    const refused = await limited.app.inject(from(address, wrong));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(window.windowMs / 1000);
    expect(problemOf(refused.body)).toMatchObject({
      status: 429,
      appError: {
        code: 'agent.tooManyFailures',
        hint: expect.stringContaining(`Wait ${retryAfter} seconds`),
        detail: { retryAfterSeconds: retryAfter },
      },
    });
    // A blocked address learns nothing from trying the right key; another address is not blocked.
    expect((await limited.app.inject(from(address, auth))).statusCode).toBe(429);
    expect((await limited.app.inject(from('198.51.100.8', auth))).statusCode).toBe(200);
    // Health and Swagger do not authenticate, so they are not blocked.
    expect((await limited.app.inject({ url: '/api/health', remoteAddress: address })).statusCode).toBe(200);
    expect((await limited.app.inject({ url: '/swagger/json', remoteAddress: address })).statusCode).toBe(200);

    await new Promise((done) => setTimeout(done, retryAfter * 1000 + 50));
    expect((await limited.app.inject(from(address, auth))).statusCode).toBe(200);
  });

  it('never counts a request with the right key', async () => {
    const address = '198.51.100.9';
    for (let request = 0; request < 3 * window.max; request++)
      expect((await limited.app.inject(from(address, auth))).statusCode).toBe(200);
    for (let attempt = 1; attempt < window.max; attempt++)
      expect((await limited.app.inject(from(address, wrong))).statusCode).toBe(401);
    expect((await limited.app.inject(from(address, auth))).statusCode).toBe(200);
  });

  it('logs the first failure of an address, then a count per window, never the key', async () => {
    const logging = await buildAgent({
      store,
      apiKey,
      failedAuthLimit: { max: 10, windowMs: 60_000 },
      log: { warn: (facts, message) => warned.push({ facts, message }) },
    });
    warned.splice(0);
    for (let attempt = 1; attempt <= 14; attempt++) await logging.app.inject(from('203.0.113.5', wrong));
    await logging.app.inject(from('203.0.113.6', wrong));
    expect(warned).toEqual([
      {
        facts: { method: 'GET', url: '/api/connections', status: 401, code: 'agent.unauthorized' },
        message: 'refused: missing or wrong API key',
      },
      {
        facts: { method: 'GET', url: '/api/connections', status: 401, code: 'agent.unauthorized' },
        message: 'refused: missing or wrong API key',
      },
    ]);
    // Closing writes the counts of the unfinished window: 9 more 401s and 4 429s.
    await logging.app.close();
    expect(warned.slice(2)).toEqual([
      {
        facts: { status: 401, code: 'agent.unauthorized' },
        message:
          'refused: 13 more requests with a missing or wrong API key from 203.0.113.5 in the last 60 s',
      },
    ]);
    expect(JSON.stringify(warned)).not.toContain('wrong-key');
  });
});

describe('--allowed-host', () => {
  let pinned: Agent;
  beforeAll(async () => {
    pinned = await buildAgent({ store, apiKey, allowedHosts: ['Agent.Corp.Example'] });
  });
  afterAll(() => pinned.app.close());

  it.each(['/api/health', '/swagger', '/api/connections'])(
    'answers %s for a foreign Host with a problem+json 421',
    async (url) => {
      const answer = await pinned.app.inject({ url, headers: { ...auth, host: 'rebound.example:40002' } });
      expect(answer.statusCode).toBe(421);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(problemOf(answer.body)).toMatchObject({
        status: 421,
        appError: { code: 'agent.hostNotAllowed' },
      });
    },
  );

  it('serves a listed name, whatever its case and port', async () => {
    for (const host of ['agent.corp.example:40002', 'AGENT.corp.example', 'agent.corp.example.:1'])
      expect(
        (await pinned.app.inject({ url: '/api/connections', headers: { ...auth, host } })).statusCode,
      ).toBe(200);
  });

  it('takes loopback names only over loopback', async () => {
    // inject's socket has no local address: as a request from elsewhere naming localhost.
    expect(
      (await pinned.app.inject({ url: '/api/health', headers: { host: 'localhost:40002' } })).statusCode,
    ).toBe(421);
    const url = await pinned.app.listen({ host: '127.0.0.1', port: 0 });
    const local = await fetch(`${url.replace('127.0.0.1', 'localhost')}/api/health`);
    expect(local.status).toBe(200);
  });

  it('is not checked without the option', async () => {
    expect(
      (await agent.app.inject({ url: '/api/health', headers: { host: 'rebound.example' } })).statusCode,
    ).toBe(200);
  });
});

/** The Schema Object of OpenAPI 3.0.3: JSON Schema's older subset plus its own fields; `x-` extensions aside. */
const openApi30SchemaKeys = new Set([
  ...['title', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength'],
  ...['minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties'],
  ...['required', 'enum', 'type', 'allOf', 'oneOf', 'anyOf', 'not', 'items', 'properties'],
  ...['additionalProperties', 'description', 'format', 'default', 'nullable', 'discriminator', 'readOnly'],
  ...['writeOnly', 'xml', 'externalDocs', 'example', 'deprecated', '$ref'],
]);

/** Every schema of the document with where it is: request bodies, parameters and responses. */
function schemasOf(document: OpenApiDocument): [string, unknown][] {
  const found: [string, unknown][] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const at = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? [])
        found.push([`${at} ${parameter.name}`, parameter.schema]);
      for (const [type, { schema }] of Object.entries(operation.requestBody?.content ?? {}))
        found.push([`${at} body ${type}`, schema]);
      for (const [status, response] of Object.entries(operation.responses ?? {}))
        for (const [type, { schema }] of Object.entries(response.content ?? {}))
          found.push([`${at} ${status} ${type}`, schema]);
    }
  }
  return found;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema: unknown }[];
        requestBody?: { content: Record<string, { schema: unknown }> };
        responses?: Record<string, { content?: Record<string, { schema: unknown }> }>;
      }
    >
  >;
}

/** Keywords outside OpenAPI 3.0's Schema Object, and JSON Schema forms it does not take (a type list). */
function outsideOpenApi30(schema: unknown, at: string): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const wrong = Object.keys(node)
    .filter((key) => !openApi30SchemaKeys.has(key) && !key.startsWith('x-'))
    .map((key) => `${at}: ${key}`);
  if (Array.isArray(node.type)) wrong.push(`${at}: type list`);
  for (const key of ['exclusiveMinimum', 'exclusiveMaximum'])
    if (key in node && typeof node[key] !== 'boolean') wrong.push(`${at}: numeric ${key}`);
  const children = [
    ...Object.entries((node.properties ?? {}) as Record<string, unknown>),
    ...['items', 'additionalProperties', 'not'].map((key) => [key, node[key]] as const),
    ...['allOf', 'anyOf', 'oneOf'].flatMap((key) =>
      ((node[key] ?? []) as unknown[]).map((child, index) => [`${key}[${index}]`, child] as const),
    ),
  ];
  return children.flatMap(([key, child]) => outsideOpenApi30(child, `${at}.${key}`));
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.0.3 generated from the zod schemas, with every route and no keyword 3.0 lacks', async () => {
    const answer = await agent.app.inject({ method: 'GET', url: '/swagger/json' });
    expect(answer.statusCode).toBe(200);
    const document = answer.json() as OpenApiDocument;
    expect(document.openapi).toBe('3.0.3');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/Connections/TestConnection',
      '/api/connections',
      '/api/connections/{domain}',
      '/api/diagnostics',
      '/api/health',
    ]);
    const schemas = schemasOf(document);
    expect(schemas.length).toBeGreaterThanOrEqual(8);
    expect(schemas.flatMap(([at, schema]) => outsideOpenApi30(schema, at))).toEqual([]);
    // Swagger's "Try it out" starts from the example the guide describes: replace "string" with the domain.
    const body =
      document.paths['/api/Connections/TestConnection']?.post?.requestBody?.content['application/json'];
    expect(body?.schema).toMatchObject({ type: 'string', example: 'string' });
    // The response whitelist is the document's too: no secret in what a connection looks like.
    const connectionSchema = document.paths['/api/connections/{domain}']?.get?.responses?.['200']?.content?.[
      'application/json'
    ]?.schema as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(connectionSchema.additionalProperties).toBe(false);
    expect(connectionSchema.properties).not.toHaveProperty('secret');
  });

  it('serves the Swagger page', async () => {
    expect((await agent.app.inject({ method: 'GET', url: '/swagger/' })).statusCode).toBe(200);
  });
});
