import { createHash } from 'node:crypto';
import type {
  Connection,
  DirectoryTarget,
  MicrosoftOnlineConnection,
} from '../../common/connections/connection';

// A stored secret may be sent only where the admin bound it: to the destinations and with the trust saved
// beside it. These functions name that binding; the store seals each secret with its digest, so a record
// whose destination changed (by the window or by hand in the file) no longer opens its secret.

/** The inputs that decide where an Entra sign-in goes and whom it trusts (the password's federation realm too). */
export interface EntraDestination {
  domain: string;
  authMode: MicrosoftOnlineConnection['authMode'];
  userPrincipalName?: string | undefined;
  clientId?: string | undefined;
  certificatePem?: string | undefined;
  cloud: MicrosoftOnlineConnection['cloud'];
  authorityHost?: string | undefined;
  graphHost?: string | undefined;
  caPem?: string | undefined;
}

/** A Remote Agent endpoint as far as trust goes: scheme, host, port and the CA it is checked against. */
export interface AgentDestination {
  host: string;
  port: number;
  useTls: boolean;
  caPem?: string | undefined;
}

export function targetKey({ host, port, tls }: DirectoryTarget): string {
  return `${tls}://${host.toLowerCase()}:${port}`;
}

/** Pins and CA of an Active Directory connection in one comparable string. */
export function directoryTrustKey(trust: {
  caPem?: string | undefined;
  pinnedFingerprints: readonly string[];
}): string {
  return JSON.stringify([
    trust.caPem ?? null,
    [...trust.pinnedFingerprints].map((pin) => pin.toUpperCase()).sort(),
  ]);
}

export function entraDestinationKey(destination: EntraDestination): string {
  return JSON.stringify([
    destination.domain.toLowerCase(),
    destination.authMode,
    destination.userPrincipalName?.toLowerCase() ?? null,
    destination.clientId?.toLowerCase() ?? null,
    destination.certificatePem ?? null,
    destination.cloud,
    destination.authorityHost ?? null,
    destination.graphHost ?? null,
    destination.caPem ?? null,
  ]);
}

export function entraDestinationOf(connection: MicrosoftOnlineConnection): EntraDestination {
  return {
    domain: connection.tenantDomain,
    authMode: connection.authMode,
    userPrincipalName: connection.userPrincipalName,
    clientId: connection.clientId,
    certificatePem: connection.certificatePem,
    cloud: connection.cloud,
    authorityHost: connection.authorityHost,
    graphHost: connection.graphHost,
    caPem: connection.caPem,
  };
}

/** The key an agent's API key is remembered under: another scheme, host, port or CA is another agent. */
export function agentBinding({ host, port, useTls, caPem }: AgentDestination): string {
  const origin = `${useTls ? 'https' : 'http'}://${host.includes(':') ? `[${host.toLowerCase()}]` : host.toLowerCase()}:${port}`;
  return caPem
    ? `${origin}#ca=${createHash('sha256').update(caPem).digest('base64url').slice(0, 22)}`
    : origin;
}

/** The origin (scheme://host:port) of an agent binding. */
export function agentOriginOf(binding: string): string {
  return binding.split('#')[0] as string;
}

function destinationKey(connection: Connection): string {
  if (connection.kind === 'activeDirectory') {
    return JSON.stringify([
      'activeDirectory',
      connection.domain,
      connection.targets.map(targetKey).sort(),
      connection.dnsServer ?? null,
      directoryTrustKey(connection.trust),
      connection.allowInsecure,
    ]);
  }
  // The agent is a destination too: Update Remote Agent sends the secret there. Allowing plain HTTP to it counts
  // once on (so the secret crosses a network in clear only if typed again with it on); off adds nothing, so
  // records saved before the switch existed keep their binding.
  return JSON.stringify([
    'microsoftOnline',
    entraDestinationKey(entraDestinationOf(connection)),
    agentBinding(connection.remoteAgent),
    ...(connection.remoteAgent.allowInsecure ? ['allowInsecure'] : []),
  ]);
}

const digests = new WeakMap<Connection, string>();

/** SHA-256 of everything a connection's secret is bound to; cached per record object (records are immutable). */
export function bindingDigest(connection: Connection): string {
  let digest = digests.get(connection);
  if (!digest) {
    digest = createHash('sha256').update(destinationKey(connection)).digest('base64url');
    digests.set(connection, digest);
  }
  return digest;
}
