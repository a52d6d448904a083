import type { ConnectionView } from '../../../common/connections/connection';
import { endpointsFor } from '../../entra/cloud-endpoints';
import { proxyFor } from '../../entra/proxy-for';

/** The variables proxy-from-env reads, both spellings: the lower-case one wins where both are set. */
export const proxyVariables = [
  'https_proxy',
  'HTTPS_PROXY',
  'http_proxy',
  'HTTP_PROXY',
  'all_proxy',
  'ALL_PROXY',
  'no_proxy',
  'NO_PROXY',
] as const;

/**
 * A proxy URL as support needs it: scheme, host and port. A proxy's user name and password travel in its URL's
 * user info, and a path or query could carry a token: all of it is left out.
 */
export function proxyWithoutCredentials(value: string): string {
  // proxy-from-env takes a bare host:port as http.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  try {
    const url = new URL(withScheme);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '[not a URL: not shown]';
  }
}

/** Where a Microsoft Online connection's requests go: through which proxy, or direct. */
function routeOf(origin: string): { origin: string; proxy: string | null } {
  const proxy = proxyFor(new URL(origin));
  return { origin, proxy: proxy ? proxyWithoutCredentials(proxy) : null };
}

/**
 * The effective proxy: the environment's variables (proxies without credentials; NO_PROXY as it is, a list of
 * hosts) and, per Microsoft Online connection, the proxy its sign-in and Graph requests take. Active Directory
 * and the Remote Agent are reached directly. Read from this process's environment, as the requests are.
 */
export function proxyFacts(connections: readonly ConnectionView[]) {
  const variables: Record<string, string> = {};
  for (const name of proxyVariables) {
    const value = process.env[name];
    if (value === undefined || value === '') continue;
    variables[name] = name.toLowerCase() === 'no_proxy' ? value : proxyWithoutCredentials(value);
  }
  const routes = connections.flatMap((connection) => {
    if (connection.kind !== 'microsoftOnline') return [];
    try {
      const endpoints = endpointsFor(connection.cloud, {
        ...(connection.authorityHost ? { authorityHost: connection.authorityHost } : {}),
        ...(connection.graphHost ? { graphHost: connection.graphHost } : {}),
      });
      return [
        {
          connectionId: connection.id,
          domain: connection.tenantDomain,
          signIn: routeOf(new URL(endpoints.authorityHost).origin),
          graph: routeOf(new URL(endpoints.graphHost).origin),
        },
      ];
    } catch {
      // A host pair the tenant test refuses too: its diagnosis says why.
      return [];
    }
  });
  return { variables, connections: routes };
}
