import { z } from 'zod';
import { ConnectionIdSchema, TimestampSchema } from './fields';

/** Where a test ran from; main decides it from the channel and the host, never from a request. */
export const TestSourceSchema = z.enum(['wizard', 'dialog', 'agent', 'cli', 'diagnose']);

export const TestHistoryEntrySchema = z.strictObject({
  at: TimestampSchema,
  durationMs: z.number().nonnegative(),
  ok: z.boolean(),
  /** The AppError code when it failed. */
  code: z.string().max(200).optional(),
  summary: z.string().max(500),
  source: TestSourceSchema,
});

/** How many outcomes a connection keeps; older ones are dropped as new ones arrive. */
export const testHistoryLimit = 50;

export const TestHistoryRequestSchema = z.strictObject({ id: ConnectionIdSchema });

export const TestHistorySchema = z.strictObject({
  connectionId: ConnectionIdSchema,
  /** Oldest first. */
  entries: z.array(TestHistoryEntrySchema).max(testHistoryLimit),
});

export type TestSource = z.output<typeof TestSourceSchema>;
export type TestHistoryEntry = z.output<typeof TestHistoryEntrySchema>;
export type TestHistory = z.output<typeof TestHistorySchema>;
