import { isLoopbackHost } from '../shared/common/agent/loopback-host';

// Over a network the API key and each connection's secret travel in every request: plain HTTP is only the
// default where nothing leaves this computer.

/** Whether `host` is a wildcard that listens on every interface. */
export const isAnyAddress = (host: string): boolean => ['0.0.0.0', '::', '[::]'].includes(host.trim());

export interface TransportFlags {
  /** --tls: HTTPS with the agent's own certificate. */
  tls: boolean;
  /** --tls-cert/--tls-key given: HTTPS with the admin's certificate. */
  ownCertificate: boolean;
  /** --insecure-http: plain HTTP even beyond loopback. */
  insecureHttp: boolean;
}

export type Transport =
  | { scheme: 'https'; certificate: 'admin' | 'generated' }
  | { scheme: 'http'; warning?: string }
  | { scheme: 'refused'; reason: string };

/** How the agent serves on `host`: the admin's certificate, its own, or plain HTTP (with a warning beyond loopback). */
export function transportFor(host: string, flags: TransportFlags): Transport {
  if (flags.insecureHttp && (flags.tls || flags.ownCertificate))
    return { scheme: 'refused', reason: '--insecure-http cannot go with --tls or --tls-cert' };
  if (flags.ownCertificate) return { scheme: 'https', certificate: 'admin' };
  if (flags.tls) return { scheme: 'https', certificate: 'generated' };
  if (isLoopbackHost(host)) return { scheme: 'http' };
  if (flags.insecureHttp)
    return {
      scheme: 'http',
      warning:
        `WARNING: serving plain HTTP on ${host} (--insecure-http): the API key and connection secrets cross ` +
        'the network unencrypted. Drop --insecure-http to serve HTTPS.',
    };
  return { scheme: 'https', certificate: 'generated' };
}
