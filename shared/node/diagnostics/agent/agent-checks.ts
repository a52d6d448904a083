import type { AgentConnection } from '../../../common/agent/agent-api';
import { isLoopbackHost } from '../../../common/agent/loopback-host';
import type { RemoteAgentTarget } from '../../../common/connections/connection';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { type AgentClient, agentUnreachable, assertSecureTransport } from '../../agent/agent-client';
import { httpsOrigin, judgeAgentCertificate, presentedAgentCertificate } from '../../agent/agent-tls';
import { certificateFinding } from '../certificate-finding';
import type { StageFinding } from '../stage-runner';
import type { AgentAccess } from './agent-route';

/**
 * Whether the agent may be sent a request: over https its certificate, judged as every request's is (chain and
 * name, or the pin, which then is the only one accepted); over http, whether the key may cross that network.
 */
export async function transportFinding(
  endpoint: RemoteAgentTarget,
  access: AgentAccess,
  trustSystemStore: boolean,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<StageFinding> {
  const address = { host: endpoint.host, port: endpoint.port };
  if (!endpoint.useTls) {
    assertSecureTransport(endpoint);
    if (isLoopbackHost(endpoint.host))
      return { detail: 'plain HTTP on loopback: the key does not leave this computer' };
    const url = `http://${endpoint.host}:${endpoint.port}`;
    return {
      detail: 'plain HTTP, allowed by Allow insecure connection',
      warning: {
        code: AppErrorCode.agentInsecureTransport,
        message: `The Remote Agent at ${url} is reached over plain HTTP: its API key crosses the network readable.`,
        hint: 'Turn on Use TLS (https): the agent serves HTTPS on any address but loopback.',
        detail: { url },
      },
    };
  }
  let presented: Awaited<ReturnType<typeof presentedAgentCertificate>>;
  try {
    presented = await presentedAgentCertificate(address, { trustSystemStore }, timeoutMs, signal);
  } catch (error) {
    throw agentUnreachable(httpsOrigin(address), error as NodeJS.ErrnoException);
  }
  const refused = judgeAgentCertificate(address, presented, {
    trustSystemStore,
    pinnedFingerprint: access.pinnedFingerprint,
  });
  if (refused) throw refused;
  const pinned = Boolean(access.pinnedFingerprint);
  const found = certificateFinding(
    { ...presented.certificate, vouchedBy: pinned ? 'pinned' : null },
    httpsOrigin(address),
  );
  return {
    ...found,
    detail: `${found.detail ?? ''}${pinned ? '' : ', not pinned'}; fingerprint ${presented.certificate.fingerprint}`,
  };
}

/** The agent's connections, listed with the stored key: proof the agent accepts it. */
export async function listWithKey(
  client: (apiKey: string) => AgentClient,
  apiKey: string | null,
  url: string,
): Promise<AgentConnection[]> {
  if (!apiKey)
    throw new AppFailure({
      code: AppErrorCode.agentUnauthorized,
      message: `There is no API key stored for the Remote Agent at ${url}.`,
      hint: 'Enter the key from the agent’s data folder (api-key) on the connection’s Remote Agent tab, or run "agent status --api-key-stdin".',
      detail: { url },
    });
  try {
    return (await client(apiKey).list()).connections;
  } catch (error) {
    // The agent's own 401 speaks to API callers; the admin needs to know where to get the right key.
    if (error instanceof AppFailure && error.appError.code === AppErrorCode.agentUnauthorized)
      throw new AppFailure({
        code: AppErrorCode.agentUnauthorized,
        message: `The Remote Agent at ${url} refused the stored API key.`,
        hint: 'Copy the key from the agent host ("connection-utility-agent key show --data DIR") into the connection’s Remote Agent tab.',
        detail: { url, status: 401 },
      });
    throw error;
  }
}

/** The health answer in one line; an agent on its way down is a warning. */
export function healthFinding(
  url: string,
): (answer: { status: string; version: string; connections: number }) => StageFinding {
  return (answer) => ({
    detail: `version ${answer.version}, ${answer.connections} connection(s)`,
    ...(answer.status === 'shuttingDown'
      ? {
          warning: {
            code: AppErrorCode.agentShuttingDown,
            message: `The Remote Agent at ${url} is shutting down.`,
            hint: 'Wait until its service has restarted, then diagnose again.',
            detail: { url, version: answer.version },
          },
        }
      : {}),
  });
}

/** An agent without POST /api/diagnostics answers 404 agent.notFound: it is older than this utility. */
export function olderAgent(url: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof AppFailure && error.appError.code === AppErrorCode.agentNotFound)
      throw new AppFailure({
        code: AppErrorCode.agentNotFound,
        message: `The Remote Agent at ${url} cannot diagnose on its host: it is older than this utility.`,
        hint: 'Install this version of the Remote Agent on its host (the bundled agent, or npm run agent), then diagnose again.',
        detail: { url, status: 404 },
      });
    throw error;
  };
}
