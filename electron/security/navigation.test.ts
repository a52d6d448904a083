import { describe, expect, it, vi } from 'vitest';
import { denyPermission, isAllowedExternal, onWillNavigate, windowOpenHandler } from './navigation';

const policy = (agentOrigins: string[] = ['http://idm-host.contoso.com:40002']) => {
  const opened: string[] = [];
  return {
    opened,
    policy: { agentOrigins: () => agentOrigins, openExternal: (url: string) => opened.push(url) },
  };
};

describe('navigation policy', () => {
  it.each([
    ['https://learn.microsoft.com/en-us/entra/identity/', true],
    ['https://microsoft.com/devicelogin', true],
    ['http://learn.microsoft.com/', false],
    ['https://learn.microsoft.com.evil.example/', false],
    ['https://user:pw@learn.microsoft.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['http://idm-host.contoso.com:40002/swagger', true],
    ['http://idm-host.contoso.com:40002/swagger/static/index.html', true],
    ['http://idm-host.contoso.com:40002/api/connections', false],
    ['http://other-host:40002/swagger', false],
    // Same host, another port or scheme: another endpoint, whose key was never accepted.
    ['http://idm-host.contoso.com:40003/swagger', false],
    ['https://idm-host.contoso.com:40002/swagger', false],
    ['http://idm-host.contoso.com/swagger', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternal(url, ['http://idm-host.contoso.com:40002'])).toBe(allowed);
  });

  it('never navigates the app window, and opens only allowed links outside it', () => {
    const { opened, policy: p } = policy();
    const navigate = onWillNavigate(p);
    for (const url of ['https://evil.example/', 'https://learn.microsoft.com/x']) {
      const event = { preventDefault: vi.fn() };
      navigate(event, url);
      expect(event.preventDefault).toHaveBeenCalledOnce();
    }
    expect(opened).toEqual(['https://learn.microsoft.com/x']);
  });

  it('denies every new window, handing allowed links to the system browser', () => {
    const { opened, policy: p } = policy();
    const handler = windowOpenHandler(p);
    expect(handler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'http://idm-host.contoso.com:40002/swagger' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['http://idm-host.contoso.com:40002/swagger']);
  });

  it('denies every permission request', () => {
    const callback = vi.fn();
    denyPermission({}, 'media', callback);
    denyPermission({}, 'notifications', callback);
    expect(callback.mock.calls).toEqual([[false], [false]]);
  });
});
