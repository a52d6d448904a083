import { createHash } from 'node:crypto';
import * as tls from 'node:tls';

/** Where the roots a server's certificate is verified against come from, for one connection. */
export interface TrustSources {
  /**
   * Also trust the operating system's store (an enterprise CA pushed by group policy, AD Certificate Services).
   * Settings → "Trust the operating system's certificate store"; absent means on, as in Settings.
   */
  trustSystemStore?: boolean;
  /** The connection's own CA certificates (PEM, one or more). */
  caPem?: string;
}

let systemStore: readonly string[] | undefined;
let bundled: readonly string[] | undefined;

/**
 * The operating system's roots, read once per process: Node reads them from the Windows store, the macOS
 * keychain or OpenSSL's file and folder on Linux (SSL_CERT_FILE / SSL_CERT_DIR), and caches them too, so a
 * certificate added to the store is seen after a restart. Duplicates (the file and the folder often list the
 * same roots) are dropped. Empty where this Node cannot read the store.
 */
export function systemCertificates(): readonly string[] {
  if (!systemStore) {
    const read = (tls as { getCACertificates?: (type: 'system') => string[] }).getCACertificates;
    let found: string[] = [];
    try {
      found = read ? read('system') : [];
    } catch {
      // An unreadable store trusts nothing extra; the bundled roots and the connection's CA still apply.
    }
    systemStore = [...new Set(found.map(normalizePem))];
  }
  return systemStore;
}

/** Node's bundled Mozilla roots: what Node trusts when nothing else is said. */
export function bundledCertificates(): readonly string[] {
  bundled ??= tls.rootCertificates.map(normalizePem);
  return bundled;
}

/**
 * Every root to verify against: the bundled ones, the system's when on, and the connection's own CA. Not
 * NODE_EXTRA_CA_CERTS: an explicit list replaces Node's default one, so trust never depends on that variable.
 */
export function trustAnchors(sources: TrustSources): string[] {
  const anchors = new Set(bundledCertificates());
  if (sources.trustSystemStore !== false) for (const pem of systemCertificates()) anchors.add(pem);
  for (const pem of splitPem(sources.caPem)) anchors.add(pem);
  return [...anchors];
}

/** Names one set of trust sources, for caches: equal keys verify exactly alike. */
export function trustKey(sources: TrustSources): string {
  const ca = sources.caPem ? createHash('sha256').update(sources.caPem).digest('hex') : '-';
  return `${sources.trustSystemStore === false ? 'explicit' : 'system'}|${ca}`;
}

/** The certificates of a PEM bundle, one string each, in one layout so that equal certificates compare equal. */
export function splitPem(pem: string | undefined): string[] {
  if (!pem) return [];
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(normalizePem);
}

function normalizePem(pem: string): string {
  const body = pem
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '')
    .match(/.{1,64}/g);
  return `-----BEGIN CERTIFICATE-----\n${(body ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
}
