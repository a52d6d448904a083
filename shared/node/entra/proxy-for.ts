/// <reference path="./proxy-from-env.d.ts" />
// Declared beside its one user, so every program that compiles this file (node, e2e) sees the types.
import { getProxyForUrl } from 'proxy-from-env';

const defaultPorts: Record<string, number> = { 'https:': 443, 'http:': 80 };

/**
 * What proxy-from-env leaves out, as curl reads NO_PROXY: an entry without a leading `.` or `*` is one exact
 * host there, but `contoso.com` covers `login.contoso.com` too; and `.contoso.com` (or `*.contoso.com`) only
 * matches below the domain there, but covers `contoso.com` itself too.
 */
function excludedAsDomain(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const port = Number(url.port) || defaultPorts[url.protocol] || 0;
  // Same precedence as proxy-from-env: the lower-case name first.
  const list = process.env.no_proxy || process.env.NO_PROXY || '';
  return list
    .toLowerCase()
    .split(/[,\s]/)
    .some((entry) => {
      const [, name = entry, entryPort] = /^(.+):(\d+)$/.exec(entry) ?? [];
      // `*` alone, and `*contoso.com` (any host ending so), are proxy-from-env's to read.
      const domain = name.replace(/^\*?\./, '');
      if (!domain || domain.startsWith('*')) return false;
      if (entryPort && Number(entryPort) !== port) return false;
      return host === domain || host.endsWith(`.${domain}`);
    });
}

/** The proxy for a URL per HTTPS_PROXY (or ALL_PROXY) and NO_PROXY in the environment; null: go direct. */
export function proxyFor(url: URL): string | null {
  const proxy = getProxyForUrl(url);
  if (!proxy) return null;
  return excludedAsDomain(url) ? null : proxy;
}
