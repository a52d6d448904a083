import { z } from 'zod';

export const VaultInfoSchema = z.strictObject({
  /** `safeStorage` inside Electron; a 0600 key file for the CLI, the development host and the Remote Agent. */
  kind: z.enum(['safeStorage', 'keyFile']),
  /** The OS facility doing the sealing, e.g. `dpapi`, `keychain`, `gnome_libsecret`, `basic_text`, `file`. */
  backend: z.string().min(1),
  /** `weak` and `unavailable` make the UI warn that secrets are protected only weakly on this system. */
  protection: z.enum(['os', 'file', 'weak', 'unavailable']),
});

export const AppInfoRequestSchema = z.strictObject({});

export const AppInfoSchema = z.strictObject({
  appName: z.string(),
  appVersion: z.string(),
  /** Which composition root answered: the Electron app, the development host (Chromium) or the CLI. */
  host: z.enum(['electron', 'devHost', 'cli']),
  versions: z.strictObject({
    node: z.string(),
    electron: z.string().nullable(),
    chrome: z.string().nullable(),
  }),
  platform: z.string(),
  userDataDir: z.string(),
  vault: VaultInfoSchema,
});

export type VaultInfo = z.infer<typeof VaultInfoSchema>;
export type AppInfo = z.infer<typeof AppInfoSchema>;
/** The composition roots that run on plain Node, without Electron. */
export type NodeHost = Exclude<AppInfo['host'], 'electron'>;
