import { connect as netConnect, type Socket } from 'node:net';
import { Client } from 'ldapts';
import type { DirectoryTarget } from '../../common/connections/connection';
import type { CertificateInfo, RootDse } from '../../common/directory/directory-test';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { lookupInScope } from './name-resolution';
import { type TrustPolicy, tlsOptionsFor, verifyingTlsConnect } from './verifying-tls';

export interface Endpoint {
  /** Where to connect: a name or an address. */
  host: string;
  port: number;
  tls: DirectoryTarget['tls'];
  /** The name the certificate must carry when `host` is an address found through DNS. */
  serverName?: string;
}

/** supportedCapabilities OID that only Active Directory (and Samba AD) announce. */
const activeDirectoryCapability = '1.2.840.113556.1.4.800';

export interface DirectorySession {
  client: Client;
  /** The certificate the server presented (null for plaintext). */
  certificate(): CertificateInfo | null;
  /** Whether that certificate was trusted (by the chain or a pin); false for plaintext. */
  trusted(): boolean;
  close(): void;
}

/**
 * Connects (LDAPS directly, or plaintext then StartTLS) with our certificate checks; nothing is sent yet.
 * `onOpened` receives the session before StartTLS starts: a caller's deadline or Cancel can then close a DC that
 * answers the StartTLS request and never completes the handshake (ldapts has no timeout for that step).
 */
export async function openSession(
  endpoint: Endpoint,
  trust: TrustPolicy,
  timeoutMs: number,
  onOpened?: (session: DirectorySession) => void,
): Promise<DirectorySession> {
  let certificate: CertificateInfo | null = null;
  let trusted = false;
  const remember = (seen: CertificateInfo, wasTrusted: boolean) => {
    certificate = seen;
    trusted = wasTrusted;
  };
  // A name is resolved through the DNS server in scope, if any; the certificate is checked against the name.
  const lookup = lookupInScope();
  const tlsOptions = {
    ...tlsOptionsFor(endpoint.host, trust, endpoint.serverName),
    ...(lookup ? { lookup } : {}),
  };
  // ldapts cannot abort a connection that is still handshaking; keeping the sockets lets close() end them.
  const sockets: Socket[] = [];
  const track = <S extends Socket>(socket: S): S => {
    sockets.push(socket);
    return socket;
  };
  const secureConnect = verifyingTlsConnect(trust, remember);
  const client = new Client({
    url: `${endpoint.tls === 'ldaps' ? 'ldaps' : 'ldap'}://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`,
    // ldapts treats any tlsOptions as "connect with TLS": give them only for LDAPS; StartTLS gets them below.
    ...(endpoint.tls === 'ldaps' ? { tlsOptions } : {}),
    createSecureConnection: ((...args: Parameters<typeof secureConnect>) =>
      track(secureConnect(...args))) as typeof secureConnect,
    createConnection: (lookup
      ? (port: number, host: string) => track(netConnect({ port, host, lookup }))
      : (...args: Parameters<typeof netConnect>) => track(netConnect(...args))) as typeof netConnect,
    connectTimeout: timeoutMs,
    timeout: timeoutMs,
    // DOMAIN\user and user@domain are valid AD bind names but not DNs.
    strictDN: false,
  });
  const session: DirectorySession = {
    client,
    certificate: () => certificate,
    trusted: () => trusted,
    close: () => {
      void client.unbind().catch(() => {});
      for (const socket of sockets) socket.destroy();
    },
  };
  onOpened?.(session);
  if (endpoint.tls === 'starttls') {
    await client.startTLS(tlsOptions);
  }
  return session;
}

function first(value: unknown): string | null {
  const item = Array.isArray(value) ? value[0] : value;
  if (item === undefined || item === null) return null;
  return Buffer.isBuffer(item) ? item.toString('utf8') : String(item);
}

function all(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((item) =>
    Buffer.isBuffer(item) ? item.toString('utf8') : String(item),
  );
}

/** The site is the third RDN of serverName: CN=DC1,CN=Servers,CN=<site>,CN=Sites,… */
export function siteOfServerDn(dn: string | null): string | null {
  const match = dn ? /^CN=[^,]+,CN=Servers,CN=([^,]+),CN=Sites,/i.exec(dn) : null;
  return match?.[1] ?? null;
}

/** Reads the rootDSE (allowed before or after a bind) and refuses servers that are not Active Directory. */
export async function readRootDse(client: Client, host: string): Promise<RootDse> {
  const { searchEntries } = await client.search('', {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: [
      'defaultNamingContext',
      'configurationNamingContext',
      'dnsHostName',
      'serverName',
      'domainControllerFunctionality',
      'supportedCapabilities',
    ],
  });
  const entry: Record<string, unknown> = searchEntries[0] ?? {};
  const defaultNamingContext = first(entry.defaultNamingContext);
  if (!defaultNamingContext || !all(entry.supportedCapabilities).includes(activeDirectoryCapability)) {
    throw new AppFailure({
      code: AppErrorCode.adNotActiveDirectory,
      message: `${host} answers LDAP but is not an Active Directory domain controller.`,
      hint: 'Enter a domain controller of the domain (not a generic LDAP server).',
      detail: { host },
    });
  }
  const serverName = first(entry.serverName);
  const functionality = first(entry.domainControllerFunctionality);
  return {
    defaultNamingContext,
    configurationNamingContext: first(entry.configurationNamingContext),
    dnsHostName: first(entry.dnsHostName),
    serverName,
    domainControllerFunctionality: functionality === null ? null : Number.parseInt(functionality, 10),
    site: siteOfServerDn(serverName),
  };
}
