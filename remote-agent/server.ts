import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import {
  AgentConnectionListSchema,
  AgentConnectionPutSchema,
  AgentConnectionSchema,
  AgentDomainParamsSchema,
  AgentHealthSchema,
  TestConnectionBodySchema,
  type TestConnectionResponse,
  TestConnectionResponseSchema,
} from '../shared/common/agent/agent-api';
import { AppErrorSchema, AppFailure } from '../shared/common/errors/app-error';
import { describeIssues } from '../shared/common/errors/describe-issues';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { tenantTestInput } from '../shared/node/entra/tenant-test-input';
import { testTenant } from '../shared/node/entra/test-tenant';
import type { AgentStore } from './agent-store';
import { hostGuard } from './allowed-hosts';
import { bearerMatches } from './api-key';
import { registerDiagnosticsRoute } from './diagnostics-route';
import { defaultFailedAuthLimit, type FailedAuthLimit, failedAuth, TooManyFailures } from './failed-auth';
import { openApiOptions } from './openapi-document';
import { sendProblem, writeProblem } from './problem';
import { badHttpProblem, problemFor, type RequestPart } from './problem-for';
import { guardedOperation, json, type OperationDocs, openOperation } from './route-docs';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a 400 says when a part of the request fails its schema (see problemFor). */
    invalid?: Partial<Record<RequestPart, string>>;
  }
}

export interface AgentOptions {
  store: Pick<AgentStore, 'count' | 'list' | 'get' | 'put' | 'delete' | 'withSecret'>;
  apiKey: string;
  tls?: { certFile: string; keyFile: string };
  /** Where failed requests are reported; Fastify's own per-request logger stays off (it halves throughput). */
  log?: { warn(facts: object, message: string): void };
  /** The Swagger UI's files when they are not inside node_modules (the packaged, bundled agent). */
  swaggerUiDir?: string;
  /**
   * Whether TestConnection's sign-in trusts the host's operating system certificate store besides the bundled
   * roots and the connection's CA (`--no-system-trust` turns it off). Absent: on, as in the utility's Settings.
   */
  trustSystemStore?: boolean;
  /** Failed authentications one client address may make per window (default 10 per 60 s); tests shorten it. */
  failedAuthLimit?: FailedAuthLimit;
  /**
   * The host names clients may call the agent by (`--allowed-host`); any other Host header gets 421, on every
   * route. Absent or empty: any Host is answered.
   */
  allowedHosts?: readonly string[];
}

const bodyLimit = 64 * 1024;
const healthStatus = AgentHealthSchema.shape.status.enum;
const invalidDomain = { params: 'The domain is not a valid DNS name.' };

/** Routes, docs and guards of the Remote Agent; main.ts only parses arguments and listens. */
export interface Agent {
  app: ReturnType<typeof createApp>;
  /** From now on every new request gets 503 while the in-flight ones finish, as in a graceful shutdown. */
  shuttingDown(): void;
}

function createApp(
  tls: AgentOptions['tls'],
  answer: (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply,
) {
  return Fastify({
    bodyLimit,
    // Long enough that a 300-character "domain" reaches validation and gets a 400 that says why.
    routerOptions: { maxParamLength: 512 },
    logger: false,
    // Errors met before a route is chosen (a bad or too long URL) take the same way as all the others.
    frameworkErrors: (error, request, reply) => answer(error, request, reply),
    clientErrorHandler: (error, socket) => {
      if (error.code === 'ECONNRESET' || !socket.writable) socket.destroy();
      else writeProblem(socket, badHttpProblem(error.code));
    },
    ...(tls ? { https: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } } : {}),
  }).withTypeProvider<ZodTypeProvider>();
}

export async function buildAgent(options: AgentOptions): Promise<Agent> {
  let stopping = false;
  const inFlight = new Map<string, Promise<TestConnectionResponse>>();

  /** The one place a failure becomes an answer: every route, hook and Fastify error ends here. */
  const answer = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const found = problemFor(error, { bodyLimit, invalid: request.routeOptions.config?.invalid });
    // Problems pass the routes' Problem schema like any body: one whose AppError is invalid would end as
    // Fastify's own 500, which is no problem+json. Such an error is the agent's own bug, and answers as one.
    const checked = AppErrorSchema.safeParse(found.error);
    const problem = checked.success ? found : problemFor(undefined, { bodyLimit });
    // The broken fields go to the log by name (never their values), as the utility's router logs them.
    const broken = checked.success
      ? {}
      : {
          error: new Error(
            `an error broke the AppError contract: ${describeIssues(checked.error.issues).join('; ')}`,
          ),
        };
    if (error instanceof TooManyFailures) reply.header('retry-after', String(error.retryAfterSeconds));
    // Refused keys are logged by failedAuth, sampled: a guesser must not be able to flood the log.
    if (problem.status !== 401 && problem.status !== 429)
      options.log?.warn(
        {
          method: request.method,
          url: request.url.split('?')[0],
          status: problem.status,
          code: problem.error.code,
          ...broken,
        },
        'request failed',
      );
    return sendProblem(reply, problem);
  };

  const app = createApp(options.tls, answer);
  // One set of zod schemas validates requests, whitelists responses (a field not in the schema, such as a
  // secret, fails the response instead of leaving the agent) and becomes the OpenAPI document.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(answer);
  // Only when names are given: without them health and Swagger keep running no hook at all.
  if (options.allowedHosts?.length) app.addHook('onRequest', hostGuard(options.allowedHosts));
  app.setNotFoundHandler((request) => {
    throw new AppFailure({
      code: AppErrorCode.agentNotFound,
      message: `There is no ${request.method} ${request.url.split('?')[0]} here.`,
      hint: 'See /swagger for the routes.',
    });
  });

  await app.register(swagger, openApiOptions);
  await app.register(swaggerUi, {
    routePrefix: '/swagger',
    staticCSP: true,
    ...(options.swaggerUiDir
      ? {
          baseDir: options.swaggerUiDir,
          logo: { type: 'image/svg+xml', content: readFileSync(join(options.swaggerUiDir, 'logo.svg')) },
        }
      : {}),
  });

  // Not global: only failed authentications are counted, by the guard below.
  await app.register(rateLimit, { global: false });
  const limit = options.failedAuthLimit ?? defaultFailedAuthLimit;
  const failures = failedAuth(
    app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs }),
    limit,
    options.log?.warn.bind(options.log),
  );
  app.addHook('onClose', async () => failures.close());

  // Only on the protected routes: health and Swagger run no hook at all, which keeps /api/health cheap.
  const guard = async (request: FastifyRequest) => {
    if (stopping)
      throw new AppFailure({
        code: AppErrorCode.agentShuttingDown,
        message: 'The agent is shutting down.',
        hint: 'Retry in a moment.',
      });
    await failures.refuseIfBlocked(request);
    if (!bearerMatches(request.headers.authorization, options.apiKey)) {
      await failures.failed(request);
      throw new AppFailure({
        code: AppErrorCode.agentUnauthorized,
        message: 'The API key is missing or wrong.',
        hint: 'Send Authorization: Bearer <key>; the key is in the agent data folder (api-key).',
      });
    }
  };
  const unknownDomain = (domain: string, hint?: string) =>
    new AppFailure({
      code: AppErrorCode.agentUnknownDomain,
      message: `The agent has no connection for ${domain}.`,
      ...(hint ? { hint } : {}),
    });
  const updateFirst = 'Use 1. Update Remote Agent in Connection Utility first.';
  /** A protected route on /api/connections/:domain that takes no body; a bad domain gets a 400 saying so. */
  const domainRoute = <const Success extends object>(docs: OperationDocs, success: Success) => ({
    onRequest: guard,
    config: { invalid: invalidDomain },
    schema: { ...guardedOperation(docs, success, [400, 404, 414]), params: AgentDomainParamsSchema },
  });

  app.get(
    '/api/health',
    {
      schema: openOperation(
        {
          operationId: 'getHealth',
          summary: 'Check that the agent runs',
          description: 'No API key needed. `status` is `shuttingDown` while the agent stops.',
          tag: 'Health',
        },
        { 200: json('The agent runs.', AgentHealthSchema) },
      ),
    },
    async () => ({
      status: stopping ? healthStatus.shuttingDown : healthStatus.ok,
      version: packageJson.version,
      connections: options.store.count(),
    }),
  );

  app.get(
    '/api/connections',
    {
      onRequest: guard,
      schema: guardedOperation(
        { operationId: 'listConnections', summary: 'List the connections', tag: 'Connections' },
        { 200: json('Every connection the agent keeps, without its secret.', AgentConnectionListSchema) },
        [],
      ),
    },
    async () => ({ connections: options.store.list() }),
  );

  app.get(
    '/api/connections/:domain',
    domainRoute(
      { operationId: 'getConnection', summary: 'Get one connection', tag: 'Connections' },
      { 200: json('The connection, without its secret.', AgentConnectionSchema) },
    ),
    async ({ params: { domain } }) => {
      const found = options.store.get(domain);
      if (!found) throw unknownDomain(domain, updateFirst);
      return found;
    },
  );

  app.put(
    '/api/connections/:domain',
    {
      onRequest: guard,
      config: {
        invalid: { ...invalidDomain, body: 'The connection is missing fields or has wrong ones.' },
      },
      schema: {
        ...guardedOperation(
          {
            operationId: 'putConnection',
            summary: 'Create or replace a connection',
            description:
              'Replaces the whole connection of the domain (fields left out are gone). `authMode` decides what ' +
              'signs in: `password` with `userPrincipalName`, `clientSecret` or `certificate` (with ' +
              '`certificatePem`) with `clientId`; `secret` holds the password, client secret or PEM private ' +
              'key. The secret is sealed at rest and never returned.',
            tag: 'Connections',
          },
          { 200: json('The connection as stored, without its secret.', AgentConnectionSchema) },
          [400, 413, 414, 415],
        ),
        params: AgentDomainParamsSchema,
        body: AgentConnectionPutSchema,
      },
    },
    async ({ params: { domain }, body }) => options.store.put(domain, body),
  );

  app.delete(
    '/api/connections/:domain',
    domainRoute(
      { operationId: 'deleteConnection', summary: 'Delete a connection', tag: 'Connections' },
      { 204: z.undefined().describe('Deleted.') },
    ),
    async ({ params: { domain } }, reply) => {
      if (!(await options.store.delete(domain))) throw unknownDomain(domain);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/Connections/TestConnection',
    {
      onRequest: guard,
      config: {
        invalid: { body: 'The body must be a JSON string holding the domain, e.g. "contoso.com".' },
      },
      schema: {
        ...guardedOperation(
          {
            operationId: 'testConnection',
            summary: 'Test a connection',
            description:
              'The body is the domain as a bare JSON string, e.g. `"contoso.com"`, not an object. Signs in ' +
              'to Microsoft Entra ID with the stored connection and reads the tenant, the domain and the ' +
              'roles of the signed-in identity through Microsoft Graph. Concurrent tests of one domain share ' +
              'one sign-in. A refused sign-in answers 502 with the Entra error code (entra.*).',
            tag: 'Connections',
          },
          {
            200: json('The sign-in worked; what the tenant says about itself.', TestConnectionResponseSchema),
          },
          [400, 404, 413, 415, 502],
        ),
        body: TestConnectionBodySchema,
      },
    },
    async ({ body: domain }) => {
      const connection = await options.store.withSecret(domain);
      if (!connection) throw unknownDomain(domain, updateFirst);
      // Concurrent tests of one domain share one sign-in; MSAL's in-memory cache serves the next ones.
      let pending = inFlight.get(domain);
      if (!pending) {
        pending = testTenant(
          tenantTestInput(connection, connection.secret, {
            timeoutMs: 30_000,
            ...(options.trustSystemStore === false ? { trustSystemStore: false } : {}),
          }),
        ).then((result) => ({
          id: result.tenantId,
          domain: result.domain,
          tenantId: result.tenantId,
          organization: result.organization,
          domainVerified: result.domainVerified,
          user: result.user,
          roles: result.roles.map((role) => role.name),
          globalAdministrator: result.globalAdministrator,
          checkedAt: result.checkedAt,
          durationMs: result.durationMs,
        }));
        inFlight.set(domain, pending);
        void pending.finally(() => inFlight.delete(domain)).catch(() => {});
      }
      return pending;
    },
  );

  registerDiagnosticsRoute(app, { guard, store: options.store, trustSystemStore: options.trustSystemStore });

  return {
    app,
    shuttingDown: () => {
      stopping = true;
    },
  };
}
