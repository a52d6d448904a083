import { isLoopbackHost } from '../../../../shared/common/agent/loopback-host';

/** The Remote Agent tab's address fields, as typed. */
export interface AgentEndpointDraft {
  host: string;
  port: string;
  useTls: boolean;
  /** Plain HTTP to an agent beyond this computer, chosen by the admin; only meaningful while that is the case. */
  allowInsecure: boolean;
}

/** TLS is what an agent beyond this computer serves (it implies --tls there); on loopback it serves plain HTTP. */
export const proposedTls = (host: string): boolean => host.trim() !== '' && !isLoopbackHost(host);

/** Plain HTTP to another computer: refused by main unless the admin allows it. */
export const plainBeyondLoopback = (endpoint: AgentEndpointDraft): boolean =>
  !endpoint.useTls && proposedTls(endpoint.host);

/** Allow insecure connection is dropped once it no longer applies, so a hidden switch is never saved on. */
export function normalized(endpoint: AgentEndpointDraft): AgentEndpointDraft {
  return endpoint.allowInsecure && !plainBeyondLoopback(endpoint)
    ? { ...endpoint, allowInsecure: false }
    : endpoint;
}

/**
 * A new host: while the admin has not chosen TLS themselves, the switch follows the host (on beyond this computer,
 * off on loopback). An empty field proposes nothing, so clearing it to type another name changes nothing yet.
 */
export function withHost(endpoint: AgentEndpointDraft, host: string, tlsChosen: boolean): AgentEndpointDraft {
  const follows = !tlsChosen && host.trim() !== '';
  return normalized({ ...endpoint, host, ...(follows ? { useTls: proposedTls(host) } : {}) });
}

/**
 * Whether the TLS setting an endpoint arrives with was the admin's choice: it differs from what its host proposes
 * (a saved connection whose loopback agent serves HTTPS, or a remote one allowed plain HTTP).
 */
export const tlsChosenIn = (endpoint: AgentEndpointDraft): boolean =>
  endpoint.host.trim() !== '' && endpoint.useTls !== proposedTls(endpoint.host);

/** The agent an https://host:port origin names (a certificate error's detail.url), brackets off an IPv6 host. */
export function addressOfOrigin(origin: string): { host: string; port: number } | null {
  try {
    const url = new URL(origin);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return host ? { host, port: url.port ? Number(url.port) : 443 } : null;
  } catch {
    return null;
  }
}
