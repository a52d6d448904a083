import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AgentDiagnosticsRequestSchema, DiagnosisSchema } from '../shared/common/diagnostics/diagnosis';
import { AppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { diagnoseOnline } from '../shared/node/diagnostics/online-stages';
import type { AgentStore } from './agent-store';
import { guardedOperation, json } from './route-docs';

/** The agent's app as buildAgent makes it: zod schemas validate requests and whitelist responses. */
export type AgentApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface DiagnosticsRouteOptions {
  /** The API-key guard of the other protected routes. */
  guard: (request: FastifyRequest) => Promise<void>;
  store: Pick<AgentStore, 'withSecret'>;
  /** As for TestConnection: false when the agent runs with --no-system-trust. */
  trustSystemStore?: boolean | undefined;
}

/**
 * POST /api/diagnostics: the Microsoft Online stages run from this host with the agent's own copy of the domain
 * and its sealed secret, so the utility can set them beside its own run and show where the two hosts differ.
 * The answer holds stages only, never the secret.
 */
export function registerDiagnosticsRoute(app: AgentApp, options: DiagnosticsRouteOptions): void {
  app.post(
    '/api/diagnostics',
    {
      onRequest: options.guard,
      config: {
        invalid: {
          body: 'The body must be a JSON object naming the domain, e.g. {"domain": "contoso.com"}.',
        },
      },
      schema: {
        ...guardedOperation(
          {
            operationId: 'diagnoseConnection',
            summary: 'Diagnose a connection from this host',
            description:
              'Runs the Microsoft Online stages from the agent’s host with its stored copy of the domain: DNS, ' +
              'the proxy in use and how it was chosen, TCP and TLS to the sign-in host (naming the issuer; a ' +
              'TLS-inspecting proxy as such), the tenant’s OpenID metadata, the clock against the sign-in ' +
              'host’s Date, a sign-in and each Graph call of TestConnection. A failing stage is an answer ' +
              '(200, status fail), not an error: its error and hint are in the stage.',
            tag: 'Diagnostics',
          },
          {
            200: json(
              'The stages, in order, with their outcome and timing; never a secret.',
              DiagnosisSchema,
            ),
          },
          [400, 404, 413, 415],
        ),
        body: AgentDiagnosticsRequestSchema,
      },
    },
    async ({ body: { domain }, raw }) => {
      const connection = await options.store.withSecret(domain);
      if (!connection)
        throw new AppFailure({
          code: AppErrorCode.agentUnknownDomain,
          message: `The agent has no connection for ${domain}.`,
          hint: 'Use 1. Update Remote Agent in Connection Utility first.',
        });
      // A caller that gave up (closed the connection) ends the run instead of leaving it to its time limits.
      const gone = new AbortController();
      const abandon = () => gone.abort();
      raw.socket.once('close', abandon);
      try {
        return await diagnoseOnline(
          {
            connection: {
              tenantDomain: connection.domain,
              authMode: connection.authMode,
              userPrincipalName: connection.userPrincipalName,
              clientId: connection.clientId,
              certificatePem: connection.certificatePem,
              cloud: connection.cloud,
              authorityHost: connection.authorityHost,
              graphHost: connection.graphHost,
              caPem: connection.caPem,
            },
            secret: connection.secret,
            ...(options.trustSystemStore === false ? { trustSystemStore: false } : {}),
          },
          { side: 'agentHost', signal: gone.signal },
        );
      } finally {
        raw.socket.off('close', abandon);
      }
    },
  );
}
