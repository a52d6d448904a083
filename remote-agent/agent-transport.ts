import { BlockList, isIPv4, isIPv6 } from 'node:net';

// Over a network the API key and each connection's secret travel in every request: plain HTTP is only the
// default where nothing leaves this computer.

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Whether `host` (a --host value) only reaches this computer: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIPv4(name)) return loopback.check(name, 'ipv4');
  return isIPv6(name) && loopback.check(name, 'ipv6');
}

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
