import { AgentConnectionSchema, TestConnectionResponseSchema } from '../../../common/agent/agent-api';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { AgentClient, type AgentEndpoint, agentUnreachable } from '../../agent/agent-client';
import { httpsOrigin, presentedAgentCertificate } from '../../agent/agent-tls';
import { recordAgentCertificate } from '../../agent/expiry-agent-certificate';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { agentBinding, agentOriginOf, entraDestinationOf } from '../../connections/secret-binding';
import { entraSignInFields } from '../../entra/tenant-test-input';
import { destinationNotBound } from '../evidence/not-bound';
import type { HandlerContext, Handlers } from '../router';
import { recordTestOutcome } from './record-test-outcome';
import type { SystemTrust } from './system-trust';

type AgentHandlers = Pick<
  Handlers,
  'agent:status' | 'agent:update' | 'agent:test' | 'agent:trustCertificate'
>;

/** Whether the agent let the key through: any answer from it but 401 (a 404 or 502 comes after the key check). */
function keyAccepted(error: unknown): boolean {
  if (!(error instanceof AppFailure)) return false;
  const status = error.appError.detail?.status;
  return (
    typeof status === 'number' && status !== 401 && error.appError.code !== AppErrorCode.agentUnreachable
  );
}

const isUnauthorized = (error: unknown) =>
  error instanceof AppFailure && error.appError.code === AppErrorCode.agentUnauthorized;

export function createAgentHandlers(
  stores: ConnectionStoreProvider,
  systemTrust: SystemTrust,
): AgentHandlers {
  /** Keys typed this session that their agent has not accepted yet: used, but remembered only once accepted. */
  const unconfirmed = new Map<string, string>();

  const keyFor = async (endpoint: AgentEndpoint, typed: string | undefined) => {
    const binding = agentBinding(endpoint);
    if (typed) {
      unconfirmed.delete(binding);
      unconfirmed.set(binding, typed);
      while (unconfirmed.size > 50) unconfirmed.delete(unconfirmed.keys().next().value as string);
    }
    const key = unconfirmed.get(binding) ?? (await (await stores.forReading()).readAgentKey(binding));
    return { binding, key };
  };

  /** The agent's verdict on a key: an accepted one is remembered (sealed), a refused one forgotten. */
  const judged = async (binding: string, key: string, accepted: boolean) => {
    if (unconfirmed.get(binding) !== key) return;
    unconfirmed.delete(binding);
    if (accepted) await (await stores.forWriting()).saveAgentKey(binding, key);
  };

  /**
   * A client for an agent, verified (over https) as Settings say, with or without the system store, and held to
   * the certificate pinned for it, if any.
   */
  const clientFor = async (context: HandlerContext, endpoint: AgentEndpoint, apiKey?: string) =>
    new AgentClient({
      ...endpoint,
      ...(apiKey ? { apiKey } : {}),
      trustSystemStore: await systemTrust(context),
      pinnedFingerprint: endpoint.useTls
        ? await (await stores.forReading()).readAgentPin(httpsOrigin(endpoint))
        : null,
    });

  const withKey = async <T>(
    context: HandlerContext,
    endpoint: AgentEndpoint,
    typed: string | undefined,
    call: (client: AgentClient) => Promise<T>,
  ): Promise<T> => {
    const { binding, key } = await keyFor(endpoint, typed);
    if (!key) {
      throw new AppFailure({
        code: AppErrorCode.agentUnauthorized,
        message: `There is no API key for the Remote Agent at ${agentOriginOf(binding)}.`,
        hint: 'Enter the key from the agent’s data folder (api-key) on the Remote Agent tab.',
      });
    }
    try {
      const result = await call(await clientFor(context, endpoint, key));
      await judged(binding, key, true);
      return result;
    } catch (error) {
      if (keyAccepted(error)) await judged(binding, key, true);
      else if (isUnauthorized(error)) await judged(binding, key, false);
      throw error;
    }
  };

  const onlineConnection = async (connectionId: string) => {
    const bound = await (await stores.forReading()).boundSecret(connectionId);
    const { connection } = bound;
    if (connection.kind !== 'microsoftOnline') {
      throw new AppFailure({
        code: AppErrorCode.inputInvalid,
        message: 'Only Microsoft Online connections go to the Remote Agent.',
      });
    }
    return { connection, secret: bound.secret };
  };

  return {
    async 'agent:status'(request, context) {
      const { apiKey: typed, ...endpoint } = request;
      // A typed key is kept for the session even when the agent is down; it is remembered once accepted.
      const { binding, key } = await keyFor(endpoint, typed);
      const health = await (await clientFor(context, endpoint)).health();
      let authorized: boolean | null = null;
      if (key) {
        // A verdict only from an answer: success or 401. A timeout or a broken answer judges nothing.
        const verdict = await (await clientFor(context, endpoint, key)).list().then(
          () => true,
          (error: unknown) => (isUnauthorized(error) ? false : keyAccepted(error) ? true : null),
        );
        if (verdict !== null) await judged(binding, key, verdict);
        authorized = verdict ?? true;
      }
      await recordAgentCertificate(stores, endpoint, await systemTrust(context));
      return { url: agentOriginOf(binding), health, authorized };
    },

    async 'agent:update'({ connectionId, apiKey, endpoint }, context) {
      const { connection, secret } = await onlineConnection(connectionId);
      const { authMode } = connection;
      if (authMode === 'deviceCode' || authMode === 'browser') {
        throw new AppFailure({
          code: AppErrorCode.inputInvalid,
          message: `A ${authMode === 'browser' ? 'browser sign-in' : 'device-code'} connection cannot run unattended on the Remote Agent.`,
          hint: 'Use a certificate or a client secret for the agent.',
        });
      }
      // The secret goes only to the agent saved with the connection (its binding covers it).
      const saved = connection.remoteAgent;
      if (endpoint && agentBinding(endpoint) !== agentBinding(saved)) {
        throw destinationNotBound(
          'secret',
          `the request names the Remote Agent at ${agentOriginOf(agentBinding(endpoint))}, not the saved ${agentOriginOf(agentBinding(saved))}`,
          'Save the connection with that Remote Agent (and the secret typed again), then Update Remote Agent.',
        );
      }
      if (!secret)
        throw new AppFailure({
          code: AppErrorCode.entraMissingSecret,
          message:
            'This connection has no stored secret to give the agent: none was saved, or its sign-in settings or Remote Agent changed since.',
          hint: 'Type the password, client secret or private key in the connection and save it first.',
        });
      const updated = await withKey(context, saved, apiKey, async (client) =>
        AgentConnectionSchema.parse(
          await client.put(connection.tenantDomain, {
            ...entraSignInFields(entraDestinationOf(connection)),
            authMode,
            secret,
            revision: connection.updatedAt,
          }),
        ),
      );
      await recordAgentCertificate(stores, saved, await systemTrust(context), connectionId);
      return updated;
    },

    // No stored connection secret travels here: only the agent's own key, bound to the agent it is sent to.
    async 'agent:test'({ connectionId, apiKey, endpoint }, context) {
      const { connection } = await onlineConnection(connectionId);
      const agent = endpoint ?? connection.remoteAgent;
      // A test of another agent (a draft's, the CLI's --host) says nothing about this connection as saved, and
      // the Agents view credits every 'agent' entry to the saved agent: it is recorded nowhere rather than
      // under another source, since the connection's Last test would then still claim an agent it does not use.
      const originOf = (target: AgentEndpoint) => agentOriginOf(agentBinding(target));
      const ofSavedAgent = originOf(agent) === originOf(connection.remoteAgent);
      return recordTestOutcome(
        {
          stores,
          connectionId: ofSavedAgent ? connectionId : undefined,
          // From the window or the CLI alike: the sign-in ran on the agent host.
          source: 'agent',
          summarize: (result) => `The Remote Agent signed in to ${result.organization} as ${result.user}`,
        },
        async () => {
          const tested = await withKey(context, agent, apiKey, async (client) =>
            TestConnectionResponseSchema.parse(await client.test(connection.tenantDomain)),
          );
          await recordAgentCertificate(stores, agent, await systemTrust(context), connectionId);
          return tested;
        },
      );
    },

    // Main looks itself: it pins what the agent presents to it now, and only if the admin confirmed that one.
    async 'agent:trustCertificate'({ host, port, fingerprint }, context) {
      const address = { host, port };
      const url = httpsOrigin(address);
      const presented = await presentedAgentCertificate(
        address,
        { trustSystemStore: await systemTrust(context) },
        undefined,
        context.signal,
      ).catch((error: NodeJS.ErrnoException) => {
        throw agentUnreachable(url, error);
      });
      const shown = presented.certificate.fingerprint.toUpperCase();
      if (shown !== fingerprint) {
        throw new AppFailure({
          code: AppErrorCode.agentCertificateChanged,
          message: `The Remote Agent at ${url} now presents another certificate than the one you compared: nothing was trusted.`,
          hint: 'Compare the fingerprint below with the one "connection-utility-agent fingerprint --data DIR" prints on the agent host, then trust it if they are the same.',
          detail: { url, confirmedFingerprint: fingerprint, fingerprint: shown },
        });
      }
      const store = await stores.forWriting();
      const previous = await store.readAgentPin(url);
      if (previous !== shown) await store.saveAgentPin(url, shown);
      return { url, fingerprint: shown, previous: previous !== shown ? previous : null };
    },
  };
}
