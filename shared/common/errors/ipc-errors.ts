import type { AppError } from './app-error';
import { AppErrorCode } from './error-codes';

/** Bridge-level refusals, shared by the router, the preload and the development host so they read the same. */
export function unknownChannelError(): AppError {
  return {
    code: AppErrorCode.ipcUnknownChannel,
    message: 'The window asked for an operation that this version of Connection Utility does not have.',
    hint: 'Restart Connection Utility; if the problem persists, reinstall it.',
  };
}

export function forbiddenSenderError(): AppError {
  return {
    code: AppErrorCode.ipcForbiddenSender,
    message: 'The request came from a page that is not Connection Utility’s own window and was refused.',
    hint: 'Only use Connection Utility through its own window.',
  };
}
