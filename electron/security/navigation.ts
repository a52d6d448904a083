/**
 * Where the window may send the admin: nowhere inside the app's own window, and outside it only to Microsoft's
 * documentation and admin sites over https, or to the Swagger page of a Remote Agent that accepted its API key
 * (an origin main remembered a key for). Saving a connection or Settings widens nothing.
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

/** `scheme://host:port` with the port spelled out, as agent origins are remembered. */
function originOf(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.protocol}//${url.hostname.toLowerCase()}:${port}`;
}

export function isAllowedExternal(url: string, agentOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase();
  if (parsed.protocol === 'https:' && externalHosts.includes(host)) return true;
  // Only the Swagger page, only of an agent whose key it accepted (scheme, host and port all count).
  return (
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    agentOrigins.map((origin) => origin.toLowerCase()).includes(originOf(parsed)) &&
    (parsed.pathname === '/swagger' || parsed.pathname.startsWith('/swagger/'))
  );
}

export interface NavigationPolicy {
  /** Origins (scheme://host:port) of the Remote Agents that accepted their API key. */
  agentOrigins(): readonly string[];
  openExternal(url: string): void;
}

/** will-navigate: the window never leaves the app; an allowed link opens in the system browser instead. */
export function onWillNavigate(policy: NavigationPolicy) {
  return (event: { preventDefault(): void }, url: string): void => {
    event.preventDefault();
    if (isAllowedExternal(url, policy.agentOrigins())) policy.openExternal(url);
  };
}

/** window.open and target=_blank: never a new app window; an allowed link opens in the system browser. */
export function windowOpenHandler(policy: NavigationPolicy) {
  return ({ url }: { url: string }): { action: 'deny' } => {
    if (isAllowedExternal(url, policy.agentOrigins())) policy.openExternal(url);
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
