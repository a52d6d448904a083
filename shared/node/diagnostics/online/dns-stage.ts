import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';

export interface Resolved {
  host: string;
  /** The addresses this host resolved it to; empty when a proxy resolves it instead. */
  addresses: string[];
  /** Not resolvable here, which does not matter: the proxy resolves it. */
  leftToProxy: boolean;
}

function notResolved(host: string, errno: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.entraUnreachable,
    message: `${host} does not resolve here (${errno}).`,
    hint: `Check that this host’s DNS servers resolve ${host}, or set HTTPS_PROXY where only a proxy may reach the internet.`,
    detail: { host, errno },
  });
}

/** One host's addresses, within the time limit; through a proxy, a name that does not resolve is the proxy's to. */
export async function resolveHost(
  host: string,
  options: { viaProxy: boolean; timeoutMs: number },
): Promise<Resolved> {
  if (isIP(host)) return { host, addresses: [host], leftToProxy: false };
  let timer: NodeJS.Timeout | undefined;
  try {
    const found = await Promise.race([
      lookup(host, { all: true }),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error('lookup timed out'), { code: 'ETIMEOUT' })),
          options.timeoutMs,
        );
      }),
    ]);
    return { host, addresses: found.map((entry) => entry.address), leftToProxy: false };
  } catch (error) {
    if (options.viaProxy) return { host, addresses: [], leftToProxy: true };
    throw notResolved(host, String((error as NodeJS.ErrnoException).code ?? 'no answer'));
  } finally {
    clearTimeout(timer);
  }
}

/** "login.microsoftonline.com → 20.190.151.68 (+3)", one host after the other. */
export function resolvedSentence(resolved: readonly Resolved[]): string {
  return resolved
    .map(({ host, addresses, leftToProxy }) => {
      if (leftToProxy) return `${host}: left to the proxy (not resolvable here)`;
      if (addresses[0] === host) return `${host} (an address)`;
      return `${host} → ${addresses[0] ?? '?'}${addresses.length > 1 ? ` (+${addresses.length - 1})` : ''}`;
    })
    .join('; ');
}
