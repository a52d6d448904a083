import { z } from 'zod';
import { ConnectionSchema } from './connection';
import { ConnectionIdSchema, TimestampSchema } from './fields';

export const exportFormat = 'connection-utility/connections';

/** The export file: records only, never secrets; whoever imports it re-enters them. */
export const ConnectionsExportSchema = z.strictObject({
  format: z.literal(exportFormat),
  version: z.literal(1),
  exportedAt: TimestampSchema,
  connections: z.array(ConnectionSchema),
});

/** Only the envelope is checked strictly; each entry is validated on its own so one bad entry skips only itself. */
export const ConnectionsImportEnvelopeSchema = z.looseObject({
  format: z.literal(exportFormat, {
    error: `not a Connection Utility export (format must be "${exportFormat}")`,
  }),
  version: z.literal(1, { error: 'this export was written by a newer version of Connection Utility' }),
  connections: z.array(z.unknown()).max(100_000),
});

export const ImportReportSchema = z.strictObject({
  imported: z.array(z.strictObject({ id: ConnectionIdSchema, name: z.string() })),
  skipped: z.array(
    z.strictObject({
      /** Position in the file's connections array, from 0. */
      index: z.number().int().nonnegative(),
      name: z.string().optional(),
      reasons: z.array(z.string()).min(1),
    }),
  ),
});

export type ConnectionsExport = z.output<typeof ConnectionsExportSchema>;
export type ImportReport = z.output<typeof ImportReportSchema>;
