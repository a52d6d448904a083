import { isIP } from 'node:net';
import type { DirectoryTarget } from '../../../common/connections/connection';
import type { CertificateInfo, RootDse } from '../../../common/directory/directory-test';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { withDeadline } from '../../directory/deadline';
import { directoryError } from '../../directory/directory-errors';
import {
  type DirectorySession,
  type Endpoint,
  openSession,
  readRootDse,
} from '../../directory/directory-session';
import type { TrustPolicy } from '../../directory/verifying-tls';
import { certificateFinding } from '../certificate-finding';
import type { StageLane } from '../stage-runner';
import { tcpConnect } from '../tcp-connect';
import { type ControllerAddress, preferredAddress, resolveController } from './controller-address';
import { ldapsHandshake } from './ldaps-handshake';

/** The ports of a domain controller: LDAP, LDAPS, and the global catalog's plain and TLS ports. */
export const directoryPorts = [389, 636, 3268, 3269] as const;

export interface ControllerPlan {
  target: DirectoryTarget;
  /** The stage ids' middle part and the group: the host, or host.port when the host is listed twice. */
  key: string;
  group: string;
}

export interface ControllerScope {
  dnsServer: string | undefined;
  trust: Omit<TrustPolicy, 'acceptUntrusted'>;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** Every session opened, so the diagnosis closes them all whatever happens. */
  sessions: DirectorySession[];
}

/** A domain controller that answered all the way to its rootDSE: where the bind may go. */
export interface LiveController {
  plan: ControllerPlan;
  session: DirectorySession;
  rootDse: RootDse;
}

/** One id part and group per target: a host listed once is its own name; listed again, it is host and port. */
export function planControllers(targets: readonly DirectoryTarget[]): ControllerPlan[] {
  const count = new Map<string, number>();
  for (const target of targets) {
    const host = target.host.toLowerCase();
    count.set(host, (count.get(host) ?? 0) + 1);
  }
  return targets.map((target) => {
    const host = target.host.toLowerCase();
    const shared = (count.get(host) ?? 0) > 1;
    return {
      target,
      key: shared ? `${host}.${target.port}` : host,
      group: shared ? `${host}:${target.port}` : host,
    };
  });
}

const tlsNames: Record<DirectoryTarget['tls'], string> = {
  ldaps: 'TLS (LDAPS)',
  starttls: 'TLS (StartTLS)',
  none: 'TLS (none: plaintext LDAP)',
};

/** Any failure as the AppFailure the directory test would raise for the same target. */
function asDirectoryFailure(error: unknown, target: DirectoryTarget, started: number): AppFailure {
  if (error instanceof AppFailure) return error;
  return new AppFailure(
    directoryError(error, { host: target.host, port: target.port, elapsedMs: performance.now() - started }),
  );
}

async function timed<T>(
  scope: ControllerScope,
  target: DirectoryTarget,
  work: () => Promise<T>,
  cleanup: () => void = () => {},
): Promise<T> {
  const started = performance.now();
  try {
    return await withDeadline(work, scope.timeoutMs, scope.signal, cleanup);
  } catch (error) {
    throw asDirectoryFailure(error, target, started);
  }
}

/**
 * The stages of one domain controller, in its own lane: DNS A → TCP on every directory port at once → TLS as
 * the connection uses it → rootDSE. A stage that fails skips the ones after it. A closed port fails only when
 * it is the one the connection uses; the others are reported as open or closed, since many DCs are reachable
 * on one port only by design.
 */
export async function controllerStages(
  lane: StageLane,
  plan: ControllerPlan,
  scope: ControllerScope,
): Promise<LiveController | null> {
  const { target, key, group } = plan;
  const id = (suffix: string) => `dc.${key}.${suffix}`;
  const ports = [...new Set<number>([...directoryPorts, target.port])].sort((a, b) => a - b);
  const later = [
    ...ports.map((port) => ({ id: id(`tcp.${port}`), name: `TCP ${port}` })),
    { id: id('tls'), name: tlsNames[target.tls] },
    { id: id('rootdse'), name: 'rootDSE' },
  ];
  const skipFrom = (index: number, reason: string) => {
    for (const stage of later.slice(index)) lane.skip(stage.id, stage.name, reason, group);
  };

  const resolved = await lane.stage<ControllerAddress>(
    id('dns'),
    'DNS A',
    () => timed(scope, target, () => resolveController(target.host, scope.dnsServer, scope.timeoutMs)),
    { group, finding: (found) => ({ detail: `${found.addresses.join(', ')} (${found.via})` }) },
  );
  if (!resolved) {
    skipFrom(0, `${target.host} could not be resolved`);
    return null;
  }
  const address = preferredAddress(resolved);

  const reached = await Promise.all(
    ports.map((port) => {
      const used = port === target.port;
      const where = { ...target, port };
      return lane.stage(
        id(`tcp.${port}`),
        `TCP ${port}`,
        async () => {
          const started = performance.now();
          try {
            await tcpConnect(address, port, scope.timeoutMs, scope.signal);
            return { open: true, why: '' };
          } catch (error) {
            if (used) throw asDirectoryFailure(error, where, started);
            return { open: false, why: (error as NodeJS.ErrnoException).code ?? 'no answer' };
          }
        },
        {
          group,
          finding: ({ open, why }) => ({
            detail: open
              ? `open on ${address}${used ? ' (the connection’s port)' : ''}`
              : `closed (${why}); this connection does not use it`,
          }),
        },
      );
    }),
  );
  if (!reached[ports.indexOf(target.port)]) {
    skipFrom(ports.length, `nothing accepts connections on ${target.host}:${target.port}`);
    return null;
  }

  const endpoint: Endpoint = {
    host: address,
    port: target.port,
    tls: target.tls,
    ...(isIP(target.host) ? {} : { serverName: target.host }),
  };
  // StartTLS and plaintext keep the session the TLS stage opened; LDAPS shakes hands on its own first.
  const tls = await lane.stage<{ certificate: CertificateInfo | null; session: DirectorySession | null }>(
    id('tls'),
    tlsNames[target.tls],
    () =>
      target.tls === 'ldaps'
        ? timed(scope, target, async () => ({
            certificate: await ldapsHandshake(endpoint, scope.trust, scope.timeoutMs, scope.signal),
            session: null,
          }))
        : openTracked(scope, target, endpoint).then((session) => ({
            certificate: session.certificate(),
            session,
          })),
    {
      group,
      finding: ({ certificate }) => {
        if (certificate) return certificateFinding(certificate, `${target.host}:${target.port}`);
        return {
          detail: 'plaintext LDAP: no certificate, nothing is encrypted',
          warning: {
            code: AppErrorCode.adSslRequired,
            message: `${target.host}:${target.port} is reached over plaintext LDAP.`,
            hint: 'Turn on Enable SSL (LDAPS on port 636, or StartTLS on 389): a stored password is never sent in clear.',
            detail: { host: target.host, port: target.port },
          },
        };
      },
    },
  );
  if (!tls) {
    skipFrom(ports.length + 1, `no ${target.tls === 'none' ? 'LDAP' : 'TLS'} session with ${target.host}`);
    return null;
  }

  let session: DirectorySession | null = tls.session;
  const rootDse = await lane.stage(
    id('rootdse'),
    'rootDSE',
    async () => {
      session ??= await openTracked(scope, target, endpoint);
      const open = session;
      return timed(scope, target, () => readRootDse(open.client, target.host));
    },
    {
      group,
      finding: (read) => ({
        detail: [
          read.dnsHostName ?? target.host,
          read.site ? `site ${read.site}` : null,
          read.domainControllerFunctionality === null
            ? null
            : `DC functional level ${read.domainControllerFunctionality}`,
          read.defaultNamingContext,
        ]
          .filter(Boolean)
          .join(', '),
      }),
    },
  );
  return rootDse && session ? { plan, session, rootDse } : null;
}

/** An LDAP session (StartTLS done, certificate judged) that the diagnosis closes at its end. */
async function openTracked(
  scope: ControllerScope,
  target: DirectoryTarget,
  endpoint: Endpoint,
): Promise<DirectorySession> {
  let opened: DirectorySession | null = null;
  return timed(
    scope,
    target,
    async () => {
      // Tracked before StartTLS, so the stage's deadline closes a DC that stalls the handshake.
      return openSession(endpoint, scope.trust, scope.timeoutMs, (session) => {
        opened = session;
        scope.sessions.push(session);
      });
    },
    () => (opened as DirectorySession | null)?.close(),
  );
}
