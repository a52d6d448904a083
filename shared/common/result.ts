import { z } from 'zod';
import { type AppError, AppErrorSchema } from './errors/app-error';

/** What crosses every boundary (IPC, CLI --json): failures are values, not exceptions. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: AppError): Result<T> {
  return { ok: false, error };
}

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: AppErrorSchema }),
  ]);
}
