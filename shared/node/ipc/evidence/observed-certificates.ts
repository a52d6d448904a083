import { targetKey } from '../../connections/secret-binding';

/**
 * The certificates main itself was shown this session, by host and port. A pin is trusted only when main saw
 * its certificate there: the window can ask to trust what a server presented, never a fingerprint it made up.
 */
export class ObservedCertificates {
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly limit = 1_000) {}

  see(host: string, port: number, fingerprint: string): void {
    const key = where(host, port);
    const fingerprints = this.seen.get(key) ?? new Set<string>();
    fingerprints.add(fingerprint.toUpperCase());
    this.seen.delete(key);
    this.seen.set(key, fingerprints);
    // Bounded whatever the window makes main connect to; the oldest hosts go first.
    while (this.seen.size > this.limit) this.seen.delete(this.seen.keys().next().value as string);
  }

  sawAt(host: string, port: number, fingerprint: string): boolean {
    return this.seen.get(where(host, port))?.has(fingerprint.toUpperCase()) ?? false;
  }

  sawAnywhere(fingerprint: string): boolean {
    const wanted = fingerprint.toUpperCase();
    for (const fingerprints of this.seen.values()) if (fingerprints.has(wanted)) return true;
    return false;
  }
}

function where(host: string, port: number): string {
  // The TLS mode does not matter for who presented a certificate.
  return targetKey({ host, port, tls: 'ldaps' });
}
