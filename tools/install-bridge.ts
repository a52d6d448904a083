import type { AppError } from '../shared/common/errors/app-error';

export interface BridgeInstallArgs {
  bridgeName: string;
  invokeBinding: string;
  emitName: string;
  channels: readonly string[];
  events: readonly string[];
  unknownChannel: AppError;
}

type Listener = (payload: unknown) => void;

/**
 * Runs inside the page as a Playwright init script: the development host's stand-in for electron/preload.ts.
 * It exposes the same two functions with the same allow-list; serialised by Playwright, so self-contained.
 */
export function installBridge(args: BridgeInstallArgs): void {
  const scope = window as unknown as Record<string, unknown>;
  const listeners = new Map<string, Set<Listener>>();
  Object.defineProperty(scope, args.emitName, {
    value: (event: string, payload: unknown) => {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  });
  const bridge = Object.freeze({
    invoke(channel: unknown, request: unknown): Promise<unknown> {
      if (typeof channel !== 'string' || !args.channels.includes(channel)) {
        return Promise.resolve({ ok: false, error: args.unknownChannel });
      }
      const invokeMain = scope[args.invokeBinding] as (channel: string, request: unknown) => Promise<unknown>;
      return invokeMain(channel, request);
    },
    on(event: unknown, listener: Listener): () => void {
      if (typeof event !== 'string' || !args.events.includes(event)) {
        throw new TypeError(`Unknown event: ${String(event)}`);
      }
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  });
  Object.defineProperty(scope, args.bridgeName, { value: bridge, enumerable: true });
}
