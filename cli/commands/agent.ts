import type { RequestOf, ResponseOf } from '../../shared/common/ipc/channel-map';
import type { Result } from '../../shared/common/result';
import type { CliCommand, CliContext } from '../cli-command';
import { UsageError } from '../cli-io';
import { passwordFromStdin, positiveInt } from '../cli-secrets';
import { printResult } from '../print-result';
import { contextWithTrust, systemTrustOption, systemTrustUsage } from '../system-trust-flag';

const options = {
  host: { type: 'string' },
  port: { type: 'string' },
  'api-key-stdin': { type: 'boolean' },
  domain: { type: 'string' },
  json: { type: 'boolean' },
  ...systemTrustOption,
} as const;

/** The agent named on the command line; null when neither --host nor --port was given. */
function endpointOf(values: Record<string, unknown>) {
  if (values.host === undefined && values.port === undefined) return null;
  const host = typeof values.host === 'string' ? values.host : 'localhost';
  return { host, port: positiveInt(values.port, '--port') ?? 40002, useTls: false };
}

async function apiKeyOf(values: Record<string, unknown>, io: CliContext['io']) {
  const apiKey = values['api-key-stdin'] === true ? await passwordFromStdin(io) : undefined;
  return apiKey ? { apiKey } : {};
}

/** The Microsoft Online connection whose tenant domain is --domain. */
async function connectionId(values: Record<string, unknown>, { router }: CliContext): Promise<string> {
  if (typeof values.domain !== 'string')
    throw new UsageError('this command needs --domain (the Microsoft Online connection’s tenant domain)');
  const listed = await router.invoke('connections:list', {});
  const found = listed.ok
    ? listed.value.connections.find(
        (c) => c.kind === 'microsoftOnline' && c.tenantDomain === String(values.domain).toLowerCase(),
      )
    : undefined;
  if (!found)
    throw new UsageError(
      `there is no Microsoft Online connection for ${values.domain} (see "connections list")`,
    );
  return found.id;
}

export const agentStatusCommand: CliCommand = {
  words: ['agent', 'status'],
  summary: 'Check that the Remote Agent answers, and that its API key is accepted.',
  usage: `agent status [--host H] [--port 40002] [--api-key-stdin] ${systemTrustUsage} [--json]`,
  options,
  async run({ values }, context) {
    const endpoint = endpointOf(values) ?? { host: 'localhost', port: 40002, useTls: false };
    const result = await context.router.invoke(
      'agent:status',
      { ...endpoint, ...(await apiKeyOf(values, context.io)) },
      contextWithTrust(values),
    );
    return printResult(
      result,
      values.json === true,
      context.io,
      (status) =>
        `OK: the Remote Agent at ${status.url} answers (version ${status.health.version}, ${status.health.connections} connection(s)); API key: ${status.authorized === null ? 'none stored' : status.authorized ? 'accepted' : 'REFUSED'}\n`,
    );
  },
};

/** update and test act on one stored Microsoft Online connection, named by its tenant domain. */
function connectionCommand<C extends 'agent:update' | 'agent:test'>(
  verb: 'update' | 'test',
  channel: C,
  summary: string,
  human: (value: ResponseOf<C>) => string,
): CliCommand {
  return {
    words: ['agent', verb],
    summary,
    usage: `agent ${verb} --domain D [--host H] [--port 40002] [--api-key-stdin] ${systemTrustUsage} [--json]`,
    options,
    async run({ values }, context) {
      // Without --host/--port: the agent saved with the connection (update goes nowhere else).
      const endpoint = endpointOf(values);
      const request = {
        connectionId: await connectionId(values, context),
        ...(endpoint ? { endpoint } : {}),
        ...(await apiKeyOf(values, context.io)),
      };
      // Both channels take AgentConnectionRequestSchema; TypeScript cannot see that through the generic.
      const result = (await context.router.invoke(
        channel,
        request as RequestOf<C>,
        contextWithTrust(values),
      )) as Result<ResponseOf<C>>;
      return printResult(result, values.json === true, context.io, human);
    },
  };
}

export const agentUpdateCommand = connectionCommand(
  'update',
  'agent:update',
  '1. Update Remote Agent: write a Microsoft Online connection (with its secret) to the agent.',
  (saved) => `OK: the Remote Agent now has the connection for ${saved.domain}.\n`,
);

export const agentTestCommand = connectionCommand(
  'test',
  'agent:test',
  '2. Test AAD Connection: the agent signs in to the tenant with its copy of the connection.',
  (test) =>
    `OK: the Remote Agent signed in to ${test.organization} (tenant ${test.id}) as ${test.user}; Global Administrator: ${test.globalAdministrator ? 'yes' : 'no'}\n`,
);
