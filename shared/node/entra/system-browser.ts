import { spawn } from 'node:child_process';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import type { BrowserOpener } from './browser-sign-in';

/**
 * The program that hands a URL to the desktop's default browser. On Windows not `cmd /c start`: cmd would read
 * the `&` between the URL's parameters as its own.
 */
function opener(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

/** Opens an https URL in the system browser (the CLI's; Electron uses shell.openExternal). */
export function systemBrowser(platform: NodeJS.Platform = process.platform): BrowserOpener {
  return (url) =>
    new Promise((resolve, reject) => {
      if (new URL(url).protocol !== 'https:') {
        reject(new AppFailure({ code: AppErrorCode.inputInvalid, message: 'Only https pages are opened.' }));
        return;
      }
      const [command, args] = opener(platform, url);
      const child = spawn(command, args, { stdio: 'ignore', detached: true });
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new AppFailure({
            code: AppErrorCode.inputInvalid,
            message: `No browser could be opened (${command}: ${error.code ?? error.message}).`,
            hint: 'Re-run with --no-browser and open the printed address in a browser yourself.',
          }),
        ),
      );
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    });
}
