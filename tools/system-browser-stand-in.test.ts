import type { Browser, Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { SystemBrowserStandIn } from './system-browser-stand-in';

/** A Chromium that only records what it was asked to open: one context, pages that remember their address. */
function fakeBrowser() {
  const contexts: { options: unknown; pages: { url: string }[] }[] = [];
  const browser = {
    newContext: async (options: unknown) => {
      const context = { options, pages: [] as { url: string }[] };
      contexts.push(context);
      return {
        newPage: async () => {
          const page = { url: '', goto: async (url: string) => Object.assign(page, { url }) };
          context.pages.push(page);
          return page;
        },
      };
    },
  };
  return { browser: browser as unknown as Browser, contexts };
}

const addressOf = (page: Page) => (page as unknown as { url: string }).url;
const signInUrl = (n: number) => `https://login.example.test/contoso.test/oauth2/v2.0/authorize?n=${n}`;

describe('the development host’s system browser', () => {
  it('opens each address as a new page of one separate context that trusts the sign-in host', async () => {
    const { browser, contexts } = fakeBrowser();
    const standIn = new SystemBrowserStandIn(browser);
    await standIn.open(signInUrl(1));
    await standIn.open(signInUrl(2));
    expect(contexts).toHaveLength(1);
    expect(contexts[0]?.options).toEqual({ ignoreHTTPSErrors: true });
    expect(contexts[0]?.pages.map((page) => page.url)).toEqual([signInUrl(1), signInUrl(2)]);
    expect(standIn.opened).toEqual([signInUrl(1), signInUrl(2)]);
  });

  it('hands each page to one waiter, in order, whether it waited first or the page opened first', async () => {
    const standIn = new SystemBrowserStandIn(fakeBrowser().browser);
    const first = standIn.nextPage();
    await standIn.open(signInUrl(1));
    await standIn.open(signInUrl(2));
    expect(addressOf(await first)).toBe(signInUrl(1));
    expect(addressOf(await standIn.nextPage())).toBe(signInUrl(2));
  });

  it('says so when no page opens in time', async () => {
    const standIn = new SystemBrowserStandIn(fakeBrowser().browser);
    await expect(standIn.nextPage(20)).rejects.toThrow(/No sign-in page was opened within 20 ms/);
    // The timed-out waiter is gone: the next page goes to the next waiter.
    const next = standIn.nextPage();
    await standIn.open(signInUrl(3));
    expect(addressOf(await next)).toBe(signInUrl(3));
  });

  it('opens only https pages, as the real opener', async () => {
    const standIn = new SystemBrowserStandIn(fakeBrowser().browser);
    await expect(standIn.open('http://login.example.test/')).rejects.toThrow(/Only https pages/);
    expect(standIn.opened).toEqual([]);
  });
});
