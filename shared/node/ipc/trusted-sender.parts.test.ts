import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './trusted-sender';

// Each part of the URL the sender check compares, changed alone on an otherwise identical page: every one of them
// must refuse by itself (the development host's http origin, where scheme, port and user info can all differ).

const hostUrl = 'http://127.0.0.1:4100/index.html';
const from = (url: string) => isTrustedSender({ url, parent: null }, hostUrl);

describe('isTrustedSender, one part changed at a time', () => {
  it('accepts the page itself', () => {
    expect(from(hostUrl)).toBe(true);
  });

  it.each([
    ['the scheme', 'https://127.0.0.1:4100/index.html'],
    ['the host', 'http://127.0.0.2:4100/index.html'],
    ['the port', 'http://127.0.0.1:4101/index.html'],
    ['the path', 'http://127.0.0.1:4100/other.html'],
    ['a user name', 'http://admin@127.0.0.1:4100/index.html'],
    ['a password alone', 'http://:secret@127.0.0.1:4100/index.html'],
  ])('refuses the page with another %s', (_part, url) => {
    expect(from(url)).toBe(false);
  });

  it('refuses everything when the app URL itself cannot be read', () => {
    expect(isTrustedSender({ url: hostUrl, parent: null }, 'not a url')).toBe(false);
  });
});
