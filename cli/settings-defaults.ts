import type { z } from 'zod';
import type { AgentEndpointSchema } from '../shared/common/agent/agent-requests';
import { isLoopbackHost } from '../shared/common/agent/loopback-host';
import type { EntraTestRequest } from '../shared/common/entra/tenant-test';
import type { Result } from '../shared/common/result';
import type { SettingsView } from '../shared/common/settings';
import type { CliContext } from './cli-command';

// The CLI works against the same data folder as the app, so what Settings say (the default Remote Agent, the
// Microsoft Online cloud, sign-in and Graph hosts and CA) applies without repeating it as options; an option
// given on the command line wins over Settings.

/** Settings as the app's handlers read them from the data folder's settings.json. */
export function readCliSettings({ router }: CliContext): Promise<Result<SettingsView>> {
  return router.invoke('settings:get', {});
}

type MicrosoftOnlineSettings = SettingsView['microsoftOnline'];
type EntraEndpoints = Pick<EntraTestRequest, 'cloud' | 'authorityHost' | 'graphHost' | 'caPem'>;

/**
 * The cloud, hosts and CA for `entra test`. The sign-in and Graph hosts in Settings belong to their cloud: they
 * apply unless --cloud names another one.
 */
export function entraEndpoints(
  given: {
    cloud?: MicrosoftOnlineSettings['cloud'];
    authorityHost?: string;
    graphHost?: string;
    caPem?: string;
  },
  stored: MicrosoftOnlineSettings,
): EntraEndpoints {
  const cloud = given.cloud ?? stored.cloud;
  const sameCloud = cloud === stored.cloud;
  const authorityHost = given.authorityHost ?? (sameCloud ? stored.authorityHost : undefined);
  const graphHost = given.graphHost ?? (sameCloud ? stored.graphHost : undefined);
  const caPem = given.caPem ?? stored.caPem;
  return {
    cloud,
    ...(authorityHost ? { authorityHost } : {}),
    ...(graphHost ? { graphHost } : {}),
    ...(caPem ? { caPem } : {}),
  };
}

type AgentEndpoint = z.output<typeof AgentEndpointSchema>;

/**
 * The Remote Agent a command talks to: --host and --port over Settings' default agent. A --host beyond this
 * computer means https unless --insecure-http says otherwise, as the agent itself serves it.
 */
export function agentEndpoint(
  given: { host?: string; port?: number; tls?: boolean; insecureHttp?: boolean; caPem?: string },
  stored: SettingsView['remoteAgent'],
): AgentEndpoint {
  const host = given.host ?? stored.host;
  const useTls = given.insecureHttp
    ? false
    : given.tls || (given.host === undefined ? stored.useTls : !isLoopbackHost(host));
  return {
    host,
    port: given.port ?? stored.port,
    useTls,
    allowInsecure: given.insecureHttp === true || (given.host === undefined && stored.allowInsecure),
    ...(given.caPem ? { caPem: given.caPem } : {}),
  };
}
