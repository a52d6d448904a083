import { isAppFailure } from '../shared/common/errors/app-error';

/** What went wrong and the next step, in one line for the agent's console: an AppError's words, never a stack. */
export function failureSentence(error: unknown): string {
  if (isAppFailure(error)) return `${error.appError.message} ${error.appError.hint ?? ''}`.trim();
  return error instanceof Error ? error.message : String(error);
}
