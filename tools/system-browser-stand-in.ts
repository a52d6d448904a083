import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { BrowserOpener } from '../shared/node/entra/browser-sign-in';

interface Waiter {
  resolve(page: Page): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The development host's stand-in for the system browser (browser sign-in). Each address main opens becomes a new
 * page of the same Chromium, in a context of its own: the admin's browser shares nothing with the app's window.
 * Headed, that page is the browser the admin signs in with; a test takes it with nextPage() and signs in there.
 */
export class SystemBrowserStandIn {
  private context: Promise<BrowserContext> | null = null;
  private readonly unclaimed: Page[] = [];
  private readonly waiting: Waiter[] = [];
  /** Every address main opened, in order. */
  readonly opened: string[] = [];

  constructor(private readonly browser: Browser) {}

  readonly open: BrowserOpener = async (url) => {
    // As the real opener: only https pages (main already holds them to the sign-in host).
    if (new URL(url).protocol !== 'https:') throw new Error(`Only https pages are opened, not ${url}.`);
    this.opened.push(url);
    // The admin's own browser trusts the sign-in host (for the emulator: its CA installed there), so this one does.
    this.context ??= this.browser.newContext({ ignoreHTTPSErrors: true });
    const page = await (await this.context).newPage();
    // A page that fails to load shows Chromium's error page, as a browser would; the opener itself succeeded.
    await page.goto(url).catch(() => undefined);
    const waiter = this.waiting.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(page);
    } else {
      this.unclaimed.push(page);
    }
  };

  /** The next page opened that no one has taken yet: one already open, or the next to open. */
  nextPage(timeoutMs = 15_000): Promise<Page> {
    const ready = this.unclaimed.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(
            new Error(
              `No sign-in page was opened within ${timeoutMs} ms (opened so far: ${this.opened.length}). ` +
                'Did the wizard start a browser sign-in?',
            ),
          );
        }, timeoutMs),
      };
      this.waiting.push(waiter);
    });
  }
}
