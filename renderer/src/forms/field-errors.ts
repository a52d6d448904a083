import type { z } from 'zod';
import type { AppError } from '../../../shared/common/errors/app-error';

/** field name → message, Compass-style: errors point at the field, not at a toast. */
export type FieldErrors = Partial<Record<string, string>>;

/** The field a zod path names: `targets.0.host` is the form's `host`. */
function fieldOf(path: readonly PropertyKey[]): string {
  const [head, , nested] = path;
  return String(head === 'targets' && nested !== undefined ? nested : (head ?? 'form'));
}

export function fieldErrorsFromIssues(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) errors[fieldOf(issue.path)] ??= issue.message;
  return errors;
}

/** Failures the admin answers by typing the password again: their message and hint belong under that field. */
const passwordCodes = new Set(['secret.destinationNotBound', 'ad.noPassword']);

/** The router's input.invalid carries "path: message" lines; turn them back into field errors. */
export function fieldErrorsFromAppError(error: AppError): FieldErrors {
  if (passwordCodes.has(error.code)) {
    return { password: error.hint ? `${error.message} ${error.hint}` : error.message };
  }
  const lines = error.detail?.issues;
  if (error.code !== 'input.invalid' || !Array.isArray(lines)) return {};
  const errors: FieldErrors = {};
  for (const line of lines) {
    const separator = line.indexOf(': ');
    if (separator < 0) continue;
    errors[fieldOf(line.slice(0, separator).split('.'))] ??= line.slice(separator + 2);
  }
  return errors;
}
