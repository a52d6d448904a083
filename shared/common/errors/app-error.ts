import { z } from 'zod';
import { secretKey } from '../secret-names';

export { AppErrorCode } from './error-codes';

const detailValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const AppErrorSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/, 'a dotted error code'),
  /** One sentence for the admin. */
  message: z.string().min(1),
  /** The next step the admin can take. */
  hint: z.string().min(1).optional(),
  /**
   * Safe facts only (codes, hosts, elapsed ms): never a secret, never a stack. A key that names a secret is
   * refused here, so a handler that puts one in fails its response check instead of reaching the window.
   */
  detail: z
    .record(
      z.string().refine((key) => !secretKey.test(key), 'a detail key that names a secret'),
      detailValue,
    )
    .optional(),
});

export type AppError = z.infer<typeof AppErrorSchema>;
export type AppErrorDetail = NonNullable<AppError['detail']>;

/**
 * Thrown inside services and handlers to end an operation with a specific AppError;
 * the router turns it into `{ ok: false, error }` unchanged. Anything else thrown becomes `internal`.
 */
export class AppFailure extends Error {
  readonly appError: AppError;

  constructor(appError: AppError) {
    super(appError.message);
    this.name = 'AppFailure';
    this.appError = appError;
  }
}

export function isAppFailure(value: unknown): value is AppFailure {
  return value instanceof AppFailure;
}
