import type { HandlerContext } from '../shared/node/ipc/router';
import { flag } from './cli-options';

/**
 * `--no-system-trust` on every command that connects: for this run, only Node's bundled roots and what the
 * command names (--ca, --pin) verify a server, whatever Settings say. Without it, the data folder's Settings
 * decide ("Trust the operating system's certificate store", on by default).
 */
export const noSystemTrustOption = (alsoTrusted: string) =>
  flag(
    '--no-system-trust',
    `trust only the public roots${alsoTrusted ? ` and ${alsoTrusted}` : ''} for this run, not the operating system's certificate store`,
  );

/** The handler context for a command: the flag travels beside the request, where no window can put it. */
export function contextWithTrust(
  noSystemTrust: boolean,
  context: HandlerContext = { emit: () => {} },
): HandlerContext {
  return noSystemTrust ? { ...context, host: { ...context.host, trustSystemStore: false } } : context;
}
