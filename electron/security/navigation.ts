/**
 * Where the window may send the admin: nowhere inside the app's own window, and outside it only to Microsoft's
 * documentation and admin sites over https, or to the Remote Agent's Swagger page on a configured agent host.
 */
export const externalHosts: readonly string[] = [
  'learn.microsoft.com',
  'docs.microsoft.com',
  'entra.microsoft.com',
  'admin.microsoft.com',
  'portal.azure.com',
  'microsoft.com',
  'login.microsoft.com',
  'aka.ms',
];

export function isAllowedExternal(url: string, agentHosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase();
  if (parsed.protocol === 'https:' && externalHosts.includes(host)) return true;
  // The agent speaks http by default; only its Swagger page, only on a host the admin configured.
  return (
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    agentHosts.map((agent) => agent.toLowerCase()).includes(host) &&
    (parsed.pathname === '/swagger' || parsed.pathname.startsWith('/swagger/'))
  );
}

export interface NavigationPolicy {
  agentHosts(): readonly string[];
  openExternal(url: string): void;
}

/** will-navigate: the window never leaves the app; an allowed link opens in the system browser instead. */
export function onWillNavigate(policy: NavigationPolicy) {
  return (event: { preventDefault(): void }, url: string): void => {
    event.preventDefault();
    if (isAllowedExternal(url, policy.agentHosts())) policy.openExternal(url);
  };
}

/** window.open and target=_blank: never a new app window; an allowed link opens in the system browser. */
export function windowOpenHandler(policy: NavigationPolicy) {
  return ({ url }: { url: string }): { action: 'deny' } => {
    if (isAllowedExternal(url, policy.agentHosts())) policy.openExternal(url);
    return { action: 'deny' };
  };
}

/** Camera, microphone, notifications, geolocation…: the app needs none. */
export function denyPermission(
  _contents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}
