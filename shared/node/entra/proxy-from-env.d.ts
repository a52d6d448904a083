// proxy-from-env 2 ships no types; this is the one function proxy-for.ts uses.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` per *_PROXY, ALL_PROXY and NO_PROXY in process.env, or '' for none. */
  export function getProxyForUrl(url: string | URL): string;
}
