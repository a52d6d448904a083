import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import {
  AgentConnectionListSchema,
  AgentConnectionPutSchema,
  AgentConnectionSchema,
  AgentHealthSchema,
  TestConnectionBodySchema,
  type TestConnectionResponse,
  TestConnectionResponseSchema,
} from '../shared/common/agent/agent-api';
import { DnsNameSchema } from '../shared/common/connections/fields';
import { AppFailure } from '../shared/common/errors/app-error';
import { describeIssues } from '../shared/common/errors/describe-issues';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { testTenant } from '../shared/node/entra/test-tenant';
import type { AgentStore } from './agent-store';
import { bearerMatches } from './api-key';
import { sendProblem } from './problem';

export interface AgentOptions {
  store: AgentStore;
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
}

const bodyLimit = 64 * 1024;
const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** Routes, docs and guards of the Remote Agent; main.ts only parses arguments and listens. */
export interface Agent {
  app: FastifyInstance;
  /** From now on every new request gets 503 while the in-flight ones finish, as in a graceful shutdown. */
  shuttingDown(): void;
}

export async function buildAgent(options: AgentOptions): Promise<Agent> {
  const app = Fastify({
    bodyLimit,
    // Long enough that a 300-character "domain" reaches validation and gets a 400 that says why.
    maxParamLength: 512,
    logger: false,
    ...(options.tls
      ? { https: { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) } }
      : {}),
  }) as unknown as FastifyInstance;
  let stopping = false;
  const inFlight = new Map<string, Promise<TestConnectionResponse>>();

  // zod validates (the same schemas the utility uses); the JSON schemas only document the API.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    try {
      done(null, body.length ? JSON.parse(String(body)) : undefined);
    } catch {
      done(Object.assign(new Error('the body is not JSON'), { statusCode: 400 }), undefined);
    }
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Azure AD Remote Agent',
        version: packageJson.version,
        description: 'Microsoft Online connections of the identity-management host.',
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'The API key from the agent data folder (api-key).',
          },
        },
      },
      security: [{ apiKey: [] }],
    },
  });
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

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(reply, 413, {
        code: AppErrorCode.inputInvalid,
        message: `The body is larger than ${bodyLimit / 1024} KiB.`,
      });
    }
    if (error.statusCode && error.statusCode < 500) {
      return sendProblem(reply, error.statusCode, {
        code: AppErrorCode.inputInvalid,
        message: 'The request could not be read.',
        hint: 'Send a JSON body with Content-Type: application/json.',
      });
    }
    return sendProblem(reply, 500, {
      code: AppErrorCode.internal,
      message: 'The agent hit an unexpected error.',
    });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, {
      code: 'agent.notFound',
      message: `There is no ${request.method} ${request.url.split('?')[0]} here.`,
      hint: 'See /swagger for the routes.',
    }),
  );

  // Only on the protected routes: health and Swagger run no hook at all, which keeps /api/health cheap.
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (stopping)
      return sendProblem(reply, 503, {
        code: 'agent.shuttingDown',
        message: 'The agent is shutting down.',
        hint: 'Retry in a moment.',
      });
    if (!bearerMatches(request.headers.authorization, options.apiKey)) {
      options.log?.warn(
        { method: request.method, url: request.url.split('?')[0], status: 401 },
        'refused: missing or wrong API key',
      );
      return sendProblem(reply, 401, {
        code: AppErrorCode.agentUnauthorized,
        message: 'The API key is missing or wrong.',
        hint: 'Send Authorization: Bearer <key>; the key is in the agent data folder (api-key).',
      });
    }
  };

  const domainParam = (value: unknown) => {
    const parsed = DnsNameSchema.safeParse(value);
    if (!parsed.success)
      throw new AppFailure({
        code: AppErrorCode.inputInvalid,
        message: 'The domain is not a valid DNS name.',
        detail: { issues: describeIssues(parsed.error.issues) },
      });
    return parsed.data;
  };
  const failure = (reply: Parameters<typeof sendProblem>[0], error: unknown) => {
    options.log?.warn(
      { code: error instanceof AppFailure ? error.appError.code : 'internal' },
      'request failed',
    );
    if (error instanceof AppFailure) {
      const status =
        error.appError.code === AppErrorCode.inputInvalid
          ? 400
          : error.appError.code.startsWith('entra.')
            ? 502
            : 500;
      return sendProblem(reply, status, error.appError);
    }
    return sendProblem(reply, 500, {
      code: AppErrorCode.internal,
      message: 'The agent hit an unexpected error.',
    });
  };
  const domainSchema = {
    type: 'object',
    properties: { domain: { type: 'string', description: 'The connection’s domain, e.g. contoso.com' } },
    required: ['domain'],
  };

  app.get(
    '/api/health',
    { schema: { security: [], response: { 200: jsonSchema(AgentHealthSchema) } } },
    async () => ({
      status: stopping ? 'shuttingDown' : 'ok',
      version: packageJson.version,
      connections: options.store.count(),
    }),
  );

  app.get(
    '/api/connections',
    {
      onRequest: guard,
      schema: { tags: ['Connections'], response: { 200: jsonSchema(AgentConnectionListSchema) } },
    },
    async () => ({
      connections: options.store.list(),
    }),
  );

  app.get<{ Params: { domain: string } }>(
    '/api/connections/:domain',
    {
      onRequest: guard,
      schema: {
        tags: ['Connections'],
        params: domainSchema,
        response: { 200: jsonSchema(AgentConnectionSchema) },
      },
    },
    async (request, reply) => {
      try {
        const found = options.store.get(domainParam(request.params.domain));
        return (
          found ??
          sendProblem(reply, 404, {
            code: AppErrorCode.agentUnknownDomain,
            message: `The agent has no connection for ${request.params.domain}.`,
            hint: 'Use 1. Update Remote Agent in Connection Utility first.',
          })
        );
      } catch (error) {
        return failure(reply, error);
      }
    },
  );

  app.put<{ Params: { domain: string } }>(
    '/api/connections/:domain',
    {
      onRequest: guard,
      schema: {
        tags: ['Connections'],
        params: domainSchema,
        body: jsonSchema(AgentConnectionPutSchema),
        response: { 200: jsonSchema(AgentConnectionSchema) },
      },
    },
    async (request, reply) => {
      try {
        const domain = domainParam(request.params.domain);
        const body = AgentConnectionPutSchema.safeParse(request.body);
        if (!body.success)
          return sendProblem(reply, 400, {
            code: AppErrorCode.inputInvalid,
            message: 'The connection is missing fields or has wrong ones.',
            detail: { issues: describeIssues(body.error.issues) },
          });
        return await options.store.put(domain, body.data);
      } catch (error) {
        return failure(reply, error);
      }
    },
  );

  app.delete<{ Params: { domain: string } }>(
    '/api/connections/:domain',
    { onRequest: guard, schema: { tags: ['Connections'], params: domainSchema } },
    async (request, reply) => {
      try {
        const deleted = await options.store.delete(domainParam(request.params.domain));
        return deleted
          ? reply.code(204).send()
          : sendProblem(reply, 404, {
              code: AppErrorCode.agentUnknownDomain,
              message: `The agent has no connection for ${request.params.domain}.`,
            });
      } catch (error) {
        return failure(reply, error);
      }
    },
  );

  app.post(
    '/api/Connections/TestConnection',
    {
      onRequest: guard,
      schema: {
        tags: ['Connections'],
        summary: 'TestConnection',
        body: { ...jsonSchema(TestConnectionBodySchema), example: 'string' },
        response: { 200: jsonSchema(TestConnectionResponseSchema) },
      },
    },
    async (request, reply) => {
      try {
        const domain = domainParam(TestConnectionBodySchema.parse(request.body));
        const connection = await options.store.withSecret(domain);
        if (!connection)
          return sendProblem(reply, 404, {
            code: AppErrorCode.agentUnknownDomain,
            message: `The agent has no connection for ${domain}.`,
            hint: 'Use 1. Update Remote Agent in Connection Utility first.',
          });
        // Concurrent tests of one domain share one sign-in; MSAL's in-memory cache serves the next ones.
        let pending = inFlight.get(domain);
        if (!pending) {
          pending = testTenant({
            mode: connection.authMode,
            domain,
            ...(connection.userPrincipalName ? { userPrincipalName: connection.userPrincipalName } : {}),
            ...(connection.clientId ? { clientId: connection.clientId } : {}),
            secret: connection.secret,
            ...(connection.certificatePem ? { certificatePem: connection.certificatePem } : {}),
            cloud: connection.cloud,
            ...(connection.authorityHost ? { authorityHost: connection.authorityHost } : {}),
            ...(connection.graphHost ? { graphHost: connection.graphHost } : {}),
            ...(connection.caPem ? { caPem: connection.caPem } : {}),
            ...(options.trustSystemStore === false ? { trustSystemStore: false } : {}),
            timeoutMs: 30_000,
          }).then((result) => ({
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
        return await pending;
      } catch (error) {
        if (error instanceof z.ZodError) {
          return sendProblem(reply, 400, {
            code: AppErrorCode.inputInvalid,
            message: 'The body must be a JSON string holding the domain, e.g. "contoso.com".',
            detail: { issues: describeIssues(error.issues) },
          });
        }
        return failure(reply, error);
      }
    },
  );

  return {
    app,
    shuttingDown: () => {
      stopping = true;
    },
  };
}
