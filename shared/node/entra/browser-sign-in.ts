import type { AuthenticationResult, PublicClientApplication } from '@azure/msal-node';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';

// Browser sign-in is MSAL's authorization code flow with PKCE: MSAL listens on a loopback port, the system
// browser shows Microsoft's pages (password, MFA, Conditional Access, consent), and the code comes back to the
// listener. The browser is opened only for the authority's own https address.

/** Opens a URL in the system browser (main: shell.openExternal; the CLI: xdg-open/open/start, or prints it). */
export type BrowserOpener = (url: string) => Promise<void>;

export interface BrowserSignInOptions {
  scopes: string[];
  loginHint?: string | undefined;
  /** The sign-in host (https://login.microsoftonline.com, a sovereign cloud's, the emulator's). */
  authorityHost: string;
  openBrowser: BrowserOpener;
  signal?: AbortSignal | undefined;
  timeoutMs: number;
}

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Connection Utility</title></head>` +
  `<body style="font-family: system-ui, sans-serif; margin: 3em"><h1>${title}</h1><p>${text}</p></body></html>`;

/** Only the authority's own https pages may be opened: MSAL builds the URL, and this holds it to that host. */
export function assertAuthorityUrl(url: string, authorityHost: string): void {
  const opened = new URL(url);
  const authority = new URL(authorityHost);
  if (opened.protocol !== 'https:' || opened.origin !== authority.origin) {
    throw new AppFailure({
      code: AppErrorCode.inputInvalid,
      message: `The sign-in page is not on the sign-in host ${authority.origin}: it was not opened.`,
    });
  }
}

/**
 * Signs in through the system browser. Cancel (the signal) and the time limit end the wait the way a browser
 * would: an error answer, with the request's own state, to MSAL's loopback listener, which then closes.
 */
export async function browserSignIn(
  app: PublicClientApplication,
  options: BrowserSignInOptions,
): Promise<AuthenticationResult> {
  let listener: { uri: string; state: string } | null = null;
  let stopped: 'cancelled' | 'timedOut' | null = null;
  // Should the listener not take the answer (it is gone, or the page already got through), the wait still ends
  // a moment later: the sign-in never outlives Cancel or its time limit.
  let giveUp: (reason: Error) => void = () => {};
  const givenUp = new Promise<never>((_, reject) => {
    giveUp = reject;
  });
  givenUp.catch(() => undefined);
  let grace: NodeJS.Timeout | undefined;
  const stop = async (why: 'cancelled' | 'timedOut') => {
    stopped ??= why;
    grace ??= setTimeout(() => giveUp(new Error(why)), 2_000);
    if (!listener) return;
    await fetch(listener.uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ error: 'access_denied', error_description: why, state: listener.state }),
    }).catch(() => undefined);
  };
  const onAbort = () => void stop('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => void stop('timedOut'), options.timeoutMs);
  try {
    const signingIn = app.acquireTokenInteractive({
      scopes: options.scopes,
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
      openBrowser: async (url) => {
        assertAuthorityUrl(url, options.authorityHost);
        const parsed = new URL(url);
        listener = {
          uri: parsed.searchParams.get('redirect_uri') ?? '',
          state: parsed.searchParams.get('state') ?? '',
        };
        if (stopped || options.signal?.aborted) {
          await stop(stopped ?? 'cancelled');
          return;
        }
        await options.openBrowser(url);
      },
      successTemplate: page('Signed in', 'You can close this tab and return to Connection Utility.'),
      errorTemplate: page('The sign-in did not finish', 'Return to Connection Utility to see why.'),
    });
    // MSAL's own promise settles later or never; nothing waits on it once given up.
    signingIn.catch(() => undefined);
    return await Promise.race([signingIn, givenUp]);
  } catch (error) {
    if (stopped === 'cancelled' || options.signal?.aborted) {
      throw new AppFailure({
        code: AppErrorCode.operationCancelled,
        message: 'The browser sign-in was cancelled.',
      });
    }
    if (stopped === 'timedOut') {
      throw new AppFailure({
        code: AppErrorCode.entraTimeout,
        message: `No sign-in came back from the browser within ${Math.round(options.timeoutMs / 1000)} s.`,
        hint: 'Start again and finish signing in in the browser that opens (the page may be behind this window).',
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    clearTimeout(grace);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
