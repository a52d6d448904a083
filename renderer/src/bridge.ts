import { AppErrorCode } from '../../shared/common/errors/error-codes';
import type { RequestOf, ResponseOf } from '../../shared/common/ipc/channel-map';
import type { IpcChannel } from '../../shared/common/ipc/channel-names';
import type { Result } from '../../shared/common/result';

/** Every call to main goes through here, so a page opened outside the app fails with a clear AppError. */
export async function invoke<C extends IpcChannel>(
  channel: C,
  request: RequestOf<C>,
): Promise<Result<ResponseOf<C>>> {
  const bridge = window.connectionUtility;
  if (!bridge) {
    return {
      ok: false,
      error: {
        code: AppErrorCode.bridgeUnavailable,
        message: 'This page is not connected to Connection Utility.',
        hint: 'Open it with npm start (the app) or npm run dev:host (the development host), not in a plain browser.',
      },
    };
  }
  return bridge.invoke(channel, request);
}
