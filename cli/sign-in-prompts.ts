import type { EventPayloadOf } from '../shared/common/ipc/event-map';
import type { HandlerContext } from '../shared/node/ipc/router';
import type { CliIo } from './cli-io';

type Progress = EventPayloadOf<'progress'>;

export interface SignInPromptOptions {
  /** --no-browser: print the sign-in page's address for the person to open, and open nothing. */
  noBrowser: boolean;
  /** How the --no-browser line begins, e.g. "To sign in". */
  toSignIn: string;
  /** Sees each progress event before its sign-in prompt is printed. */
  onProgress?: (payload: Progress) => void;
}

/**
 * The handler context of a command whose sign-in a person completes: the device code and the sign-in page's
 * address are for that person, so they go to stderr, even with --json.
 */
export function signInPromptContext(io: CliIo, options: SignInPromptOptions): HandlerContext {
  return {
    emit: (_event, payload) => {
      if (!('step' in payload)) return;
      options.onProgress?.(payload);
      if (payload.deviceCode) io.stderr(`${payload.deviceCode.message}\n`);
      if (payload.browser)
        io.stderr(
          options.noBrowser
            ? `${options.toSignIn}, open this address in a browser (Ctrl+C to cancel):\n${payload.browser.url}\n`
            : `Signing in in your browser (Ctrl+C to cancel). If no browser opened, open:\n${payload.browser.url}\n`,
        );
    },
    // --no-browser: the address is printed above, and nothing is opened.
    ...(options.noBrowser ? { host: { openBrowser: async () => {} } } : {}),
  };
}
