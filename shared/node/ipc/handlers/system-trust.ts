import { readSettings } from '../../settings/settings-file';
import type { HandlerContext } from '../router';

/** Whether a call trusts the operating system's certificate store. */
export type SystemTrust = (context: HandlerContext) => Promise<boolean>;

/**
 * The CLI's `--no-system-trust`, else Settings → "Trust the operating system's certificate store", read from
 * main's settings file at each call so that a change applies to the next test. No request field can widen it.
 */
export function systemTrustFrom(userDataDir: string): SystemTrust {
  return async (context) =>
    context.host?.trustSystemStore ?? (await readSettings(userDataDir)).trustSystemStore;
}
