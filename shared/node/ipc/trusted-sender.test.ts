import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './trusted-sender';

const appUrl = 'file:///opt/Connection%20Utility/resources/app.asar/out/renderer/index.html';

describe('isTrustedSender', () => {
  it('accepts the app page itself, with or without a fragment or query', () => {
    expect(isTrustedSender({ url: appUrl, parent: null }, appUrl)).toBe(true);
    expect(isTrustedSender({ url: `${appUrl}#/settings`, parent: null }, appUrl)).toBe(true);
    expect(isTrustedSender({ url: `${appUrl}?x=1`, parent: null }, appUrl)).toBe(true);
  });

  it.each([
    ['another local file', 'file:///tmp/evil.html'],
    ['a web page', 'https://example.invalid/index.html'],
    [
      'the same path on another scheme',
      'http://opt/Connection%20Utility/resources/app.asar/out/renderer/index.html',
    ],
    ['a data URL', 'data:text/html,<script>1</script>'],
    ['about:blank', 'about:blank'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_label, url) => {
    expect(isTrustedSender({ url, parent: null }, appUrl)).toBe(false);
  });

  it('refuses a sub-frame even when it shows the app page', () => {
    expect(isTrustedSender({ url: appUrl, parent: {} }, appUrl)).toBe(false);
  });

  it('refuses a missing frame (destroyed or navigated away)', () => {
    expect(isTrustedSender(null, appUrl)).toBe(false);
    expect(isTrustedSender(undefined, appUrl)).toBe(false);
  });

  it('compares loopback http origins by port too (the development host)', () => {
    const hostUrl = 'http://127.0.0.1:4100/index.html';
    expect(isTrustedSender({ url: hostUrl, parent: null }, hostUrl)).toBe(true);
    expect(isTrustedSender({ url: 'http://127.0.0.1:4101/index.html', parent: null }, hostUrl)).toBe(false);
  });
});
