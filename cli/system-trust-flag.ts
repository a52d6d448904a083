import type { HandlerContext } from '../shared/node/ipc/router';

/**
 * `--no-system-trust` on every command that connects: for this run, only Node's bundled roots and what the
 * command names (--ca, --pin) verify a server, whatever Settings say. Without it, the data folder's Settings
 * decide ("Trust the operating system's certificate store", on by default).
 */
export const systemTrustOption = { 'no-system-trust': { type: 'boolean' } } as const;

export const systemTrustUsage = '[--no-system-trust]';

/** The handler context for a command: the flag travels beside the request, where no window can put it. */
export function contextWithTrust(
  values: Record<string, unknown>,
  context: HandlerContext = { emit: () => {} },
): HandlerContext {
  return values['no-system-trust'] === true
    ? { ...context, host: { ...context.host, trustSystemStore: false } }
    : context;
}
