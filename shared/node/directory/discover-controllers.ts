import type { DirectoryTarget } from '../../common/connections/connection';
import type { DiscoveredController, DiscoverResult } from '../../common/directory/discovery';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { withDeadline } from './deadline';
import { directoryError } from './directory-errors';
import { type DirectorySession, openSession } from './directory-session';
import { lookupControllers } from './dns-controllers';
import { type DirectoryController, readControllersFromDirectory } from './ldap-controllers';
import { type ProbeResult, probeController } from './probe-controller';
import type { TrustPolicy } from './verifying-tls';

export interface DiscoverInput {
  domain: string;
  dnsServer?: string;
  site?: string;
  tls: DirectoryTarget['tls'];
  port?: number;
  /** The connection's CA and pins, and whether the system store counts (Settings). */
  trust: Omit<TrustPolicy, 'acceptUntrusted'>;
  credentials?: { bindUser: string; password: string };
  timeoutMs: number;
  signal?: AbortSignal;
  onStep?: (step: string, done: number, total: number) => void;
}

export type Candidate = Omit<DiscoveredController, 'reachable' | 'latencyMs' | 'certificate' | 'error'> & {
  probe?: ProbeResult;
};

/**
 * Finds the domain's DCs in DNS and, with credentials, in the directory; probes every one in parallel under
 * one timeout; ranks reachable first, then this computer's site, then latency.
 */
export async function discoverControllers(input: DiscoverInput): Promise<DiscoverResult> {
  const started = performance.now();
  const warnings: DiscoverResult['warnings'] = [];
  const step = (name: string, done: number) => input.onStep?.(name, done, 3);
  const portFor = (srvPort: number) => input.port ?? (input.tls === 'ldaps' ? 636 : srvPort);

  step(`Looking up the domain controllers of ${input.domain} in DNS`, 0);
  const dns = await lookupControllers(input.domain, input);
  if (dns.controllers.length === 0) {
    warnings.push({
      code: AppErrorCode.adDnsFailed,
      message: `DNS has no domain controller records for ${input.domain} (${dns.problems.join('; ') || 'no answer'}).`,
    });
  }
  const candidates = new Map<string, Candidate>();
  for (const srv of dns.controllers) {
    candidates.set(srv.hostName, {
      hostName: srv.hostName,
      addresses: srv.addresses,
      port: portFor(srv.port),
      site: null,
      globalCatalog: null,
      operatingSystem: null,
      sources: ['dns'],
    });
  }

  step(`Probing ${candidates.size} domain controller(s)`, 1);
  await probeAll([...candidates.values()], input);

  if (input.credentials) {
    step('Reading the domain controllers from the directory', 2);
    const fastest = [...candidates.values()]
      .filter((candidate) => candidate.probe?.reachable)
      .sort((a, b) => (a.probe?.latencyMs ?? 0) - (b.probe?.latencyMs ?? 0))[0];
    if (fastest) {
      try {
        const listed = await readDirectory(fastest, input);
        const added = merge(candidates, listed, portFor(389));
        await probeAll(added, input);
      } catch (error) {
        const appError =
          error instanceof AppFailure
            ? error.appError
            : directoryError(error, { host: fastest.hostName, port: fastest.port, elapsedMs: 0 });
        warnings.push({
          code: appError.code,
          message: `The directory could not be read: ${appError.message}`,
        });
      }
    }
  }
  for (const candidate of candidates.values()) {
    candidate.site ??= candidate.probe?.rootDse?.site ?? null;
  }
  step('Done', 3);
  return {
    domain: input.domain,
    controllers: rank([...candidates.values()], input.site),
    warnings,
    elapsedMs: Math.round(performance.now() - started),
  };
}

async function probeAll(candidates: Candidate[], input: DiscoverInput): Promise<void> {
  await Promise.all(
    candidates.map(async (candidate) => {
      const address =
        candidate.addresses.find((a) => !a.includes(':')) ?? candidate.addresses[0] ?? candidate.hostName;
      candidate.probe = await probeController(
        { host: address, port: candidate.port, tls: input.tls, serverName: candidate.hostName },
        input.trust,
        input.timeoutMs,
        input.signal,
      );
    }),
  );
}

async function readDirectory(dc: Candidate, input: DiscoverInput): Promise<DirectoryController[]> {
  const credentials = input.credentials;
  const rootDse = dc.probe?.rootDse;
  if (!credentials || !rootDse) return [];
  let session: DirectorySession | null = null;
  const address = dc.addresses.find((a) => !a.includes(':')) ?? dc.hostName;
  try {
    return await withDeadline(
      async () => {
        session = await openSession(
          { host: address, port: dc.port, tls: input.tls, serverName: dc.hostName },
          input.trust,
          input.timeoutMs,
          (opened) => {
            session = opened;
          },
        );
        await session.client.bind(credentials.bindUser, credentials.password);
        return readControllersFromDirectory(
          session.client,
          rootDse.defaultNamingContext,
          rootDse.configurationNamingContext,
        );
      },
      input.timeoutMs,
      input.signal,
      () => (session as DirectorySession | null)?.close(),
    );
  } finally {
    (session as DirectorySession | null)?.close();
  }
}

/** Adds what the directory knows to the DNS findings; returns the DCs only the directory listed. */
function merge(candidates: Map<string, Candidate>, listed: DirectoryController[], port: number): Candidate[] {
  const added: Candidate[] = [];
  for (const dc of listed) {
    const known = candidates.get(dc.hostName);
    if (known) {
      known.site = dc.site;
      known.globalCatalog = dc.globalCatalog;
      known.operatingSystem = dc.operatingSystem;
      known.sources = ['dns', 'ldap'];
    } else {
      const candidate: Candidate = { ...dc, addresses: [], port, sources: ['ldap'] };
      candidates.set(dc.hostName, candidate);
      added.push(candidate);
    }
  }
  return added;
}

export function rank(candidates: Candidate[], site: string | undefined): DiscoveredController[] {
  const ranked = candidates.map(({ probe, ...rest }) => ({
    ...rest,
    reachable: probe?.reachable ?? false,
    latencyMs: probe?.latencyMs ?? null,
    certificate: probe?.certificate ?? null,
    error: probe?.error ?? null,
  }));
  const score = (dc: DiscoveredController) => [
    dc.reachable ? 0 : 1,
    site && dc.site?.toLowerCase() === site.toLowerCase() ? 0 : 1,
    dc.latencyMs ?? Number.POSITIVE_INFINITY,
  ];
  return ranked.sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    for (let i = 0; i < x.length; i += 1) {
      const difference = (x[i] ?? 0) - (y[i] ?? 0);
      if (difference !== 0 && !Number.isNaN(difference)) return difference;
    }
    return a.hostName.localeCompare(b.hostName);
  });
}
