/** The part of Electron's WebFrameMain the check needs, so the check is testable without Electron. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/**
 * Only the app's own top-level page may call main. `appUrl` is the exact document the window loaded;
 * query and fragment are ignored, anything else (another file, an http page, a sub-frame) is refused.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, appUrl: string): boolean {
  if (!frame || frame.parent) {
    return false;
  }
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(frame.url);
    expected = new URL(appUrl);
  } catch {
    return false;
  }
  return (
    actual.protocol === expected.protocol &&
    actual.host === expected.host &&
    actual.pathname === expected.pathname &&
    actual.username === '' &&
    actual.password === ''
  );
}
