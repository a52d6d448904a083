import { describe, expect, it } from 'vitest';
import { assertAuthorityUrl } from './browser-sign-in';

describe('the browser opens only the sign-in host', () => {
  const authority = 'https://login.microsoftonline.com';

  it('lets the authority’s own https pages through', () => {
    expect(() =>
      assertAuthorityUrl(`${authority}/contoso.com/oauth2/v2.0/authorize?client_id=x`, authority),
    ).not.toThrow();
  });

  it('refuses another host, another port, plain http and other schemes', () => {
    for (const url of [
      'https://login.microsoftonline.com.evil.example/contoso.com/oauth2/v2.0/authorize',
      'https://login.microsoftonline.com:8443/contoso.com/oauth2/v2.0/authorize',
      'http://login.microsoftonline.com/contoso.com/oauth2/v2.0/authorize',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ])
      expect(() => assertAuthorityUrl(url, authority), url).toThrow(/not on the sign-in host/);
  });
});
