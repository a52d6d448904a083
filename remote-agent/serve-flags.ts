import { type Transport, transportFor } from './agent-transport';
import { allowedHostName } from './allowed-hosts';

// The options that decide how the agent serves on the network (HTTPS, its certificate's names, the Host check):
// one definition and one check, for the agent's own command line and for `service install`, which must refuse
// what the agent would refuse at its start rather than install a service that never starts.

/** parseArgs definitions of the serve options. */
export const serveFlagOptions = {
  tls: { type: 'boolean', default: false },
  'tls-san': { type: 'string', multiple: true },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'insecure-http': { type: 'boolean', default: false },
  'allowed-host': { type: 'string', multiple: true },
} as const;

/** The serve options as parseArgs returns them. */
export interface ServeFlagValues {
  tls?: boolean;
  'tls-san'?: string[];
  'tls-cert'?: string;
  'tls-key'?: string;
  'insecure-http'?: boolean;
  'allowed-host'?: string[];
}

/** The serve options once checked: what was given, with each --allowed-host in the form the check compares. */
export interface ServeFlags {
  tls: boolean;
  tlsSans: string[];
  /** Given together or not at all. */
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp: boolean;
  allowedHosts: string[];
}

export type ServeTransport = Exclude<Transport, { scheme: 'refused' }>;

/** The serve options for an agent bound to `host`, or the sentence the agent refuses to start with. */
export function checkServeFlags(
  host: string,
  values: ServeFlagValues,
): { flags: ServeFlags; transport: ServeTransport } | string {
  const allowedHosts: string[] = [];
  for (const value of values['allowed-host'] ?? []) {
    const name = allowedHostName(value);
    if (name === null) return `--allowed-host takes a host name without port or scheme: ${value}`;
    allowedHosts.push(name);
  }
  const tlsCert = values['tls-cert'] || undefined;
  const tlsKey = values['tls-key'] || undefined;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) return '--tls-cert and --tls-key go together';
  const transport = transportFor(host, {
    tls: values.tls === true,
    ownCertificate: Boolean(tlsCert),
    insecureHttp: values['insecure-http'] === true,
  });
  if (transport.scheme === 'refused') return transport.reason;
  const tlsSans = values['tls-san'] ?? [];
  if (tlsSans.length && !(transport.scheme === 'https' && transport.certificate === 'generated'))
    return "--tls-san names the agent's own certificate: it goes with --tls, not --tls-cert";
  return {
    flags: {
      tls: values.tls === true,
      tlsSans,
      ...(tlsCert && tlsKey ? { tlsCert, tlsKey } : {}),
      insecureHttp: values['insecure-http'] === true,
      allowedHosts,
    },
    transport,
  };
}
