import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AgentDiagnosticsRequestSchema,
  type Diagnosis,
  DiagnosisSchema,
} from '../shared/common/diagnostics/diagnosis';
import { AppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { diagnoseOnline } from '../shared/node/diagnostics/online-stages';
import { entraSignInFields } from '../shared/node/entra/tenant-test-input';
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

/** A diagnosis of one domain in progress and how many callers still wait for it. */
interface SharedRun {
  diagnosis: Promise<Diagnosis>;
  callers: number;
  done: boolean;
  stop(): void;
}

/**
 * POST /api/diagnostics: the Microsoft Online stages run from this host with the agent's own copy of the domain
 * and its sealed secret, so the utility can set them beside its own run and show where the two hosts differ.
 * The answer holds stages only, never the secret.
 */
export function registerDiagnosticsRoute(app: AgentApp, options: DiagnosticsRouteOptions): void {
  /**
   * One run per domain (lower case), shared by every caller asking meanwhile, as TestConnection shares its
   * sign-in: each run signs in afresh and calls Graph, so callers asking at once must not multiply that.
   */
  const running = new Map<string, SharedRun>();

  /** Starts the run of a domain, or joins the one another caller started while the store was read. */
  const start = async (domain: string): Promise<SharedRun> => {
    const key = domain.toLowerCase();
    const connection = await options.store.withSecret(domain);
    const already = running.get(key);
    if (already) return already;
    if (!connection)
      throw new AppFailure({
        code: AppErrorCode.agentUnknownDomain,
        message: `The agent has no connection for ${domain}.`,
        hint: 'Use 1. Update Remote Agent in Connection Utility first.',
      });
    const stop = new AbortController();
    const run: SharedRun = {
      callers: 0,
      done: false,
      stop: () => {
        // Callers arriving later start a run of their own rather than join one being cancelled.
        if (running.get(key) === run) running.delete(key);
        stop.abort();
      },
      diagnosis: diagnoseOnline(
        {
          // The agent's copy, read through the same mapping as its TestConnection.
          connection: {
            tenantDomain: connection.domain,
            authMode: connection.authMode,
            ...entraSignInFields(connection),
          },
          secret: connection.secret,
          ...(options.trustSystemStore === false ? { trustSystemStore: false } : {}),
        },
        { side: 'agentHost', signal: stop.signal },
      ),
    };
    running.set(key, run);
    void run.diagnosis
      .finally(() => {
        run.done = true;
        if (running.get(key) === run) running.delete(key);
      })
      .catch(() => {});
    return run;
  };

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
      const run = running.get(domain.toLowerCase()) ?? (await start(domain));
      // A caller that gave up (closed the connection) leaves the run; the last one to leave ends it instead of
      // leaving it to its time limits.
      run.callers += 1;
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        run.callers -= 1;
        if (run.callers === 0 && !run.done) run.stop();
      };
      raw.socket.once('close', leave);
      try {
        return await run.diagnosis;
      } finally {
        raw.socket.off('close', leave);
        left = true;
      }
    },
  );
}
