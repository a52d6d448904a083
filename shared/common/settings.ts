import { z } from 'zod';
import { CloudSchema, defaultRemoteAgent, RemoteAgentTargetSchema } from './connections/connection';
import { HttpsUrlSchema, PemCertificatesSchema } from './connections/fields';

/** What the admin sets once for this computer (Settings dialog); nothing in it is a secret. */
export const SettingsSchema = z.strictObject({
  /**
   * Absent: CU_WORKFLOW_ENGINE_ROUTES, else `workflow-engine/routes.json` in the data folder. Only main sets it,
   * from its own Save dialog (settings:chooseRoutesFile): a path from the window would let it write anywhere.
   */
  workflowEngineRoutesFile: z
    .string()
    .trim()
    .min(1)
    .max(4096)
    .refine((path) => /^(\/|[a-z]:[\\/]|\\\\)/i.test(path), 'enter an absolute path')
    .optional(),
  /** The Remote Agent new Microsoft Online connections use, and that Welcome checks. */
  remoteAgent: RemoteAgentTargetSchema.default(defaultRemoteAgent),
  /** Defaults for new Microsoft Online connections: national cloud, private proxy or a test emulator. */
  microsoftOnline: z
    .strictObject({
      cloud: CloudSchema.default('global'),
      authorityHost: HttpsUrlSchema.optional(),
      graphHost: HttpsUrlSchema.optional(),
      caPem: PemCertificatesSchema.optional(),
    })
    .default({ cloud: 'global' }),
  /**
   * Trust the operating system's certificate store (an enterprise CA from AD Certificate Services, pushed by group
   * policy) besides Node's bundled public roots, for LDAPS/StartTLS, Entra, Graph and the Remote Agent. Off: only
   * the public roots and what each connection names (its CA or pinned certificates). Absent (files written before
   * the setting existed): on.
   */
  trustSystemStore: z.boolean().default(true),
});

export const SettingsViewSchema = SettingsSchema.extend({
  /** The routes file Update Agent in WE writes, and why that one. */
  routesFile: z.strictObject({
    path: z.string(),
    source: z.enum(['settings', 'environment', 'default']),
  }),
});

/** What the window may change with settings:save: everything but the routes file, which main keeps as stored. */
export const SettingsSaveRequestSchema = SettingsSchema.omit({ workflowEngineRoutesFile: true });

/** The window asks; main's own Save dialog answers. The request carries no path. */
export const ChooseRoutesFileRequestSchema = z.strictObject({
  /** true: forget the chosen file without a dialog, so CU_WORKFLOW_ENGINE_ROUTES or the default applies. */
  useDefault: z.boolean().default(false),
});

export const ChooseRoutesFileResultSchema = z.strictObject({
  /** `cancelled`: the admin closed the dialog and nothing changed. */
  outcome: z.enum(['chosen', 'default', 'cancelled']),
  settings: SettingsViewSchema,
});

export type Settings = z.output<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;
export type SettingsSaveInput = z.input<typeof SettingsSaveRequestSchema>;
export type SettingsView = z.output<typeof SettingsViewSchema>;
export type ChooseRoutesFileResult = z.output<typeof ChooseRoutesFileResultSchema>;
