import { proxyFor } from '../../entra/proxy-for';

/** Which proxy a request to one URL takes, and why: what the "proxy in use" stage reports. */
export interface ProxyChoice {
  /** The proxy's URL, credentials removed; null: direct. */
  proxy: string | null;
  /** The proxy's URL as configured (it may carry credentials): only for opening the tunnel, never shown. */
  proxyUrl: string | null;
  /** The environment variable that named the proxy, or that excluded this host. */
  variable: string | null;
  how: 'environment' | 'noProxy' | 'none';
  /** One line: "via http://proxy:3128 (HTTPS_PROXY)", "direct: login.microsoftonline.com matches NO_PROXY". */
  sentence: string;
}

/** The same variables, in the same order, as proxy-from-env reads them (lower case first). */
const proxyVariables = (protocol: string) => [
  `${protocol}_proxy`,
  `${protocol.toUpperCase()}_PROXY`,
  'all_proxy',
  'ALL_PROXY',
];
const noProxyVariables = ['no_proxy', 'NO_PROXY'];

const firstSet = (names: readonly string[]) => names.find((name) => process.env[name]) ?? null;

/** A proxy URL as it may be shown: user name and password left out. */
export function shownProxy(url: string): string {
  try {
    const parsed = new URL(url.includes('://') ? url : `http://${url}`);
    parsed.username = '';
    parsed.password = '';
    return parsed.origin;
  } catch {
    return '(an unreadable proxy address)';
  }
}

/** Explains proxyFor's answer for `url` from the same environment it reads. */
export function proxyChoice(url: URL): ProxyChoice {
  const proxyUrl = proxyFor(url);
  const protocol = url.protocol.replace(':', '');
  const named = firstSet(proxyVariables(protocol));
  if (proxyUrl) {
    const proxy = shownProxy(proxyUrl);
    return {
      proxy,
      proxyUrl,
      variable: named,
      how: 'environment',
      sentence: `via ${proxy} (${named ?? 'the environment'})`,
    };
  }
  if (named) {
    const excluding = firstSet(noProxyVariables) ?? 'NO_PROXY';
    return {
      proxy: null,
      proxyUrl: null,
      variable: excluding,
      how: 'noProxy',
      sentence: `direct: ${url.hostname} matches ${excluding} (${named} is set)`,
    };
  }
  return {
    proxy: null,
    proxyUrl: null,
    variable: null,
    how: 'none',
    sentence: `direct: no ${protocol.toUpperCase()}_PROXY or ALL_PROXY is set`,
  };
}
