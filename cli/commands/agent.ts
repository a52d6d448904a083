import type { RequestOf, ResponseOf } from '../../shared/common/ipc/channel-map';
import { ok, type Result } from '../../shared/common/result';
import { type CliContext, defineCommand } from '../cli-command';
import { UsageError } from '../cli-io';
import { flag, requiredText, tcpPort, text, type ValuesOf } from '../cli-options';
import { passwordFromStdin, readNamedFile } from '../cli-secrets';
import { jsonOption } from '../json-option';
import { printResult } from '../print-result';
import { agentEndpoint, readCliSettings } from '../settings-defaults';
import { contextWithTrust, noSystemTrustOption } from '../system-trust-flag';

const endpointOptions = {
  host: text('--host <host>', "the Remote Agent's host (default: Settings, else localhost)"),
  port: tcpPort('--port <port>', "the Remote Agent's port (default: Settings, else 40002)"),
  apiKeyStdin: flag('--api-key-stdin', "read the agent's API key (its data folder's api-key) from stdin"),
  tls: flag('--tls', 'talk HTTPS (implied by a --host beyond this computer)'),
  insecureHttp: flag(
    '--insecure-http',
    'plain HTTP to a --host beyond this computer (only on a trusted network)',
  ),
  ca: text('--ca <file>', "a PEM file of CA certificates that vouch for the agent's certificate"),
  pin: text(
    '--pin <sha256>',
    "trust the agent's certificate with this SHA-256 fingerprint (as `connection-utility-agent fingerprint` prints it)",
  ),
};

type EndpointValues = ValuesOf<typeof endpointOptions>;

/** The endpoint options as agentEndpoint takes them: --ca read from its file. */
async function endpointGiven(values: EndpointValues) {
  if (values.tls && values.insecureHttp) throw new UsageError('--tls and --insecure-http exclude each other');
  return {
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.port !== undefined ? { port: values.port } : {}),
    ...(values.tls ? { tls: true } : {}),
    ...(values.insecureHttp ? { insecureHttp: true } : {}),
    ...(values.ca !== undefined ? { caPem: await readNamedFile(values.ca) } : {}),
  };
}

/**
 * --pin: "Trust this agent" on a terminal. Main connects itself and pins the agent's certificate only if it is
 * the one the admin named; the command then runs against the pinned agent.
 */
async function trustPinned(
  pin: string | undefined,
  endpoint: { host: string; port: number; useTls: boolean },
  { router }: CliContext,
): Promise<Result<unknown>> {
  if (pin === undefined) return ok(null);
  if (!endpoint.useTls) throw new UsageError('--pin names an https agent: add --tls');
  return router.invoke('agent:trustCertificate', {
    host: endpoint.host,
    port: endpoint.port,
    fingerprint: pin,
  });
}

const outputOptions = { noSystemTrust: noSystemTrustOption(''), json: jsonOption };

async function apiKeyOf(apiKeyStdin: boolean, io: CliContext['io']) {
  const apiKey = apiKeyStdin ? await passwordFromStdin(io) : undefined;
  return apiKey ? { apiKey } : {};
}

/** The Microsoft Online connection whose tenant domain is --domain. */
async function connectionOf(domain: string, { router }: CliContext) {
  const listed = await router.invoke('connections:list', {});
  const found = listed.ok
    ? listed.value.connections.find(
        (c) => c.kind === 'microsoftOnline' && c.tenantDomain === domain.toLowerCase(),
      )
    : undefined;
  if (!found)
    throw new UsageError(`there is no Microsoft Online connection for ${domain} (see "connections list")`);
  return found;
}

export const agentStatusCommand = defineCommand({
  words: ['agent', 'status'],
  summary: 'Check that the Remote Agent answers, and that its API key is accepted.',
  options: { ...endpointOptions, ...outputOptions },
  async run(values, context) {
    const settings = await readCliSettings(context);
    if (!settings.ok) return printResult(settings, values.json, context.io, () => '');
    const endpoint = agentEndpoint(await endpointGiven(values), settings.value.remoteAgent);
    const trusted = await trustPinned(values.pin, endpoint, context);
    if (!trusted.ok) return printResult(trusted, values.json, context.io, () => '');
    const result = await context.router.invoke(
      'agent:status',
      { ...endpoint, ...(await apiKeyOf(values.apiKeyStdin, context.io)) },
      contextWithTrust(values.noSystemTrust),
    );
    return printResult(
      result,
      values.json,
      context.io,
      (status) =>
        `OK: the Remote Agent at ${status.url} answers (version ${status.health.version}, ${status.health.connections} connection(s)); API key: ${status.authorized === null ? 'none stored' : status.authorized ? 'accepted' : 'REFUSED'}\n`,
    );
  },
});

/** What update and test take: one stored Microsoft Online connection, named by its tenant domain. */
const connectionOptions = {
  domain: requiredText('--domain <domain>', 'the tenant domain of a stored Microsoft Online connection'),
  ...endpointOptions,
  ...outputOptions,
};
const connectionHelp =
  'Without --host/--port: the Remote Agent saved with the connection (update sends the secret\n' +
  'nowhere else).';

type ConnectionValues = ValuesOf<typeof connectionOptions>;

/** The request of update and test; a failure to read Settings is returned as it is. */
async function connectionRequest(values: ConnectionValues, context: CliContext) {
  // Without --host/--port/--tls/--ca: the agent saved with the connection (update goes nowhere else).
  const given = await endpointGiven(values);
  const named = Object.keys(given).length > 0;
  const settings = named ? await readCliSettings(context) : undefined;
  if (settings && !settings.ok) return settings;
  const connection = await connectionOf(values.domain, context);
  const endpoint = settings ? agentEndpoint(given, settings.value.remoteAgent) : undefined;
  if (connection.kind !== 'microsoftOnline') throw new UsageError('not a Microsoft Online connection');
  const trusted = await trustPinned(values.pin, endpoint ?? connection.remoteAgent, context);
  if (!trusted.ok) return trusted;
  return ok({
    connectionId: connection.id,
    ...(endpoint ? { endpoint } : {}),
    ...(await apiKeyOf(values.apiKeyStdin, context.io)),
  });
}

/** The channels that take the request connectionRequest makes: the agent writes, or tests, its copy. */
type ConnectionChannel = 'agent:update' | 'agent:test';

/** `agent update` and `agent test`: one stored connection's request to the agent, then one line on success. */
function agentConnectionCommand<C extends ConnectionChannel>(definition: {
  verb: string;
  summary: string;
  channel: C;
  success: (response: ResponseOf<C>) => string;
}) {
  return defineCommand({
    words: ['agent', definition.verb],
    summary: definition.summary,
    help: connectionHelp,
    options: connectionOptions,
    async run(values, context) {
      const request = await connectionRequest(values, context);
      const result = request.ok
        ? await context.router.invoke(
            definition.channel,
            // Both channels take AgentConnectionRequestSchema; TypeScript cannot see that through a generic C.
            request.value as RequestOf<C>,
            contextWithTrust(values.noSystemTrust),
          )
        : request;
      return printResult(result, values.json, context.io, definition.success);
    },
  });
}

export const agentUpdateCommand = agentConnectionCommand({
  verb: 'update',
  summary: '1. Update Remote Agent: write a Microsoft Online connection (with its secret) to the agent.',
  channel: 'agent:update',
  success: (saved) => `OK: the Remote Agent now has the connection for ${saved.domain}.\n`,
});

export const agentTestCommand = agentConnectionCommand({
  verb: 'test',
  summary: '2. Test AAD Connection: the agent signs in to the tenant with its copy of the connection.',
  channel: 'agent:test',
  success: (test) =>
    `OK: the Remote Agent signed in to ${test.organization} (tenant ${test.id}) as ${test.user}; Global Administrator: ${test.globalAdministrator ? 'yes' : 'no'}\n`,
});
