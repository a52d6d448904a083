import { AppFailure } from '../../../common/errors/app-error';

/** The sentence a renewal step reports for a failure: an AppFailure's own message, else the error's text. */
export const messageOf = (error: unknown): string =>
  error instanceof AppFailure
    ? error.appError.message
    : error instanceof Error
      ? error.message
      : String(error);
