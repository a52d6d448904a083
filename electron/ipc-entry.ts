import { forbiddenSenderError } from '../shared/common/errors/ipc-errors';
import { eventChannelName, type IpcChannel, ipcChannels } from '../shared/common/ipc/channel-names';
import { fail, type Result } from '../shared/common/result';
import type { Router } from '../shared/node/ipc/router';
import { isTrustedSender, type SenderFrame } from '../shared/node/ipc/trusted-sender';

// Where every request from the window enters main. Kept apart from main.ts, and free of Electron, so that the
// order that matters (the sender check before the router, for every channel) is tested by calling it.

/** The part of Electron's IpcMainInvokeEvent the entry reads. */
export interface IpcEntryEvent {
  senderFrame: SenderFrame | null;
  sender: { send(channel: string, payload: unknown): void };
}

/** The part of Electron's ipcMain the entry uses. */
export interface IpcRegistrar {
  handle(
    channel: string,
    listener: (event: IpcEntryEvent, payload: unknown) => Promise<Result<unknown>>,
  ): void;
}

export interface IpcEntryOptions {
  router: Pick<Router, 'dispatch'>;
  /** The exact document the window loaded; only its own top-level frame may call. */
  appUrl: string;
  /** Told of each refused sender (the log), never with the payload. */
  onForbidden(channel: IpcChannel): void;
}

/** One `handle` per allow-listed channel: a sender that is not the app's own page is refused before the router. */
export function registerIpcEntry(ipc: IpcRegistrar, options: IpcEntryOptions): void {
  for (const channel of ipcChannels) {
    ipc.handle(channel, async (event, payload) => {
      if (!isTrustedSender(event.senderFrame, options.appUrl)) {
        options.onForbidden(channel);
        return fail(forbiddenSenderError());
      }
      return options.router.dispatch(channel, payload, {
        emit: (name, eventPayload) => event.sender.send(eventChannelName(name), eventPayload),
      });
    });
  }
}
