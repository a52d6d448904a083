import { AgentConnectionSchema, TestConnectionResponseSchema } from '../../../shared/common/agent/agent-api';
import { AppFailure } from '../../../shared/common/errors/app-error';
import { AppErrorCode } from '../../../shared/common/errors/error-codes';
import { AgentClient, type AgentEndpoint } from '../../../shared/node/agent/agent-client';
import type { ConnectionStoreProvider } from '../../../shared/node/connections/connection-store-provider';
import type { Handlers } from '../router';
import { recordTestOutcome } from './record-test-outcome';

type AgentHandlers = Pick<Handlers, 'agent:status' | 'agent:update' | 'agent:test'>;

const endpointKey = ({ host, port }: AgentEndpoint) => `${host}:${port}`;

export function createAgentHandlers(stores: ConnectionStoreProvider): AgentHandlers {
  /** The key typed now (then remembered sealed), else the remembered one. */
  const apiKeyFor = async (endpoint: AgentEndpoint, typed: string | undefined): Promise<string | null> => {
    if (typed) {
      await (await stores.forWriting()).saveAgentKey(endpointKey(endpoint), typed);
      return typed;
    }
    return (await stores.forReading()).readAgentKey(endpointKey(endpoint));
  };

  const onlineConnection = async (connectionId: string) => {
    const store = await stores.forReading();
    const connection = store.get(connectionId);
    if (connection.kind !== 'microsoftOnline') {
      throw new AppFailure({
        code: AppErrorCode.inputInvalid,
        message: 'Only Microsoft Online connections go to the Remote Agent.',
      });
    }
    return { connection, store };
  };

  const clientFor = async (endpoint: AgentEndpoint, typed: string | undefined) => {
    const apiKey = await apiKeyFor(endpoint, typed);
    if (!apiKey) {
      throw new AppFailure({
        code: AppErrorCode.agentUnauthorized,
        message: `There is no API key for the Remote Agent at ${endpointKey(endpoint)}.`,
        hint: 'Enter the key from the agent’s data folder (api-key) on the Remote Agent tab.',
      });
    }
    return new AgentClient({ ...endpoint, apiKey });
  };

  return {
    async 'agent:status'(request) {
      const { apiKey: typed, ...endpoint } = request;
      const apiKey = await apiKeyFor(endpoint, typed);
      const client = new AgentClient({ ...endpoint, ...(apiKey ? { apiKey } : {}) });
      const health = await client.health();
      let authorized: boolean | null = null;
      if (apiKey) {
        authorized = await client.list().then(
          () => true,
          (error: unknown) =>
            !(error instanceof AppFailure && error.appError.code === AppErrorCode.agentUnauthorized),
        );
      }
      return { url: client.url, health, authorized };
    },

    async 'agent:update'({ connectionId, apiKey, endpoint }) {
      const { connection, store } = await onlineConnection(connectionId);
      if (connection.authMode === 'deviceCode') {
        throw new AppFailure({
          code: AppErrorCode.inputInvalid,
          message: 'A device-code connection cannot run unattended on the Remote Agent.',
          hint: 'Use a certificate or a client secret for the agent.',
        });
      }
      const secret = await store.readSecret(connectionId);
      if (!secret)
        throw new AppFailure({
          code: AppErrorCode.aadMissingSecret,
          message: 'This connection has no stored secret to give the agent.',
          hint: 'Enter it in the connection first.',
        });
      const client = await clientFor(endpoint ?? connection.remoteAgent, apiKey);
      return AgentConnectionSchema.parse(
        await client.put(connection.tenantDomain, {
          authMode: connection.authMode,
          ...(connection.userPrincipalName ? { userPrincipalName: connection.userPrincipalName } : {}),
          ...(connection.clientId ? { clientId: connection.clientId } : {}),
          secret,
          ...(connection.certificatePem ? { certificatePem: connection.certificatePem } : {}),
          cloud: connection.cloud,
          ...(connection.authorityHost ? { authorityHost: connection.authorityHost } : {}),
          ...(connection.graphHost ? { graphHost: connection.graphHost } : {}),
          ...(connection.caPem ? { caPem: connection.caPem } : {}),
        }),
      );
    },

    async 'agent:test'({ connectionId, apiKey, endpoint }) {
      const { connection } = await onlineConnection(connectionId);
      const client = await clientFor(endpoint ?? connection.remoteAgent, apiKey);
      return recordTestOutcome(
        {
          stores,
          connectionId,
          summarize: (result) => `The Remote Agent signed in to ${result.organization} as ${result.user}`,
        },
        async () => TestConnectionResponseSchema.parse(await client.test(connection.tenantDomain)),
      );
    },
  };
}
