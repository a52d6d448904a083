type X509 = typeof import('@peculiar/x509');

/**
 * @peculiar/x509 (the agent's own TLS certificate, an app's certificate for Entra) wires its algorithms with
 * tsyringe, which needs the Reflect metadata API: the polyfill is loaded here, just before x509, so that only a
 * process that makes a certificate touches the global Reflect.
 */
export async function loadX509(): Promise<X509> {
  await import('reflect-metadata');
  const loaded = (await import('@peculiar/x509')) as X509 & { default?: X509 };
  // In an esbuild bundle with code splitting (the CLI, the packaged agent) the CommonJS build arrives as `default`.
  return loaded.X509CertificateGenerator ? loaded : (loaded.default ?? loaded);
}
