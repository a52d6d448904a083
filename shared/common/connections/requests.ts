import { z } from 'zod';
import { AppErrorSchema } from '../errors/app-error';
import { ConnectionViewSchema } from './connection';
import { ConnectionIdSchema } from './fields';

export const ConnectionsListRequestSchema = z.strictObject({});
export const ConnectionsListResponseSchema = z.strictObject({
  connections: z.array(ConnectionViewSchema),
  /** Set when the store was found damaged and set aside this session (store.corrupt). */
  notice: AppErrorSchema.nullable(),
});

export const ConnectionByIdRequestSchema = z.strictObject({ id: ConnectionIdSchema });
export const ConnectionDeletedResponseSchema = z.strictObject({ id: ConnectionIdSchema });

export const ConnectionsExportRequestSchema = z.strictObject({
  /** Absent: every connection. */
  ids: z.array(ConnectionIdSchema).max(100_000).optional(),
});

/** The file's parsed JSON; the store validates it entry by entry and reports what it skipped. */
export const ConnectionsImportRequestSchema = z.strictObject({ document: z.unknown() });
