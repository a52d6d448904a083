import { createHash, X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate } from 'node:tls';
import type { VouchedBy } from '../../common/directory/directory-test';
import { bundledCertificates, splitPem, systemCertificates, type TrustSources } from './trust-anchors';

/** The roots of one source, and the certificates of that source by subject (for finding issuers). */
export interface AnchorSet {
  fingerprints: Set<string>;
  bySubject: Map<string, X509Certificate[]>;
}

export function anchorSet(pems: readonly string[]): AnchorSet {
  const set: AnchorSet = { fingerprints: new Set(), bySubject: new Map() };
  for (const pem of pems) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch {
      continue; // A root Node would not load either.
    }
    set.fingerprints.add(certificate.fingerprint256);
    set.bySubject.set(certificate.subject, [...(set.bySubject.get(certificate.subject) ?? []), certificate]);
  }
  return set;
}

let bundledSet: AnchorSet | undefined;
let systemSet: AnchorSet | undefined;
const caSets = new Map<string, AnchorSet>();

function connectionCaSet(caPem: string): AnchorSet {
  const key = createHash('sha256').update(caPem).digest('hex');
  let set = caSets.get(key);
  if (!set) {
    set = anchorSet(splitPem(caPem));
    if (caSets.size >= 32) caSets.delete(caSets.keys().next().value as string);
    caSets.set(key, set);
  }
  return set;
}

const merged = (...sets: AnchorSet[]): AnchorSet => {
  const out: AnchorSet = { fingerprints: new Set(), bySubject: new Map() };
  for (const set of sets) {
    for (const fingerprint of set.fingerprints) out.fingerprints.add(fingerprint);
    for (const [subject, certificates] of set.bySubject)
      out.bySubject.set(subject, [...(out.bySubject.get(subject) ?? []), ...certificates]);
  }
  return out;
};

const selfSigned = (certificate: X509Certificate) =>
  certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);

const validAt = (certificate: X509Certificate, now: Date) =>
  certificate.validFromDate <= now && now <= certificate.validToDate;

/**
 * Whether `chain[0]` verifies up to a self-signed root of `anchors`, through the certificates the server sent
 * and those of `anchors`: each link's issuer name and signature, and every certificate's validity. Like OpenSSL
 * without partial chains, a root must sign itself; the host name was already checked by the handshake.
 */
export function chainsTo(chain: readonly X509Certificate[], anchors: AnchorSet, now = new Date()): boolean {
  const [leaf] = chain;
  if (!leaf) return false;
  const sent = new Map<string, X509Certificate[]>();
  for (const certificate of chain.slice(1))
    sent.set(certificate.subject, [...(sent.get(certificate.subject) ?? []), certificate]);
  const visit = (certificate: X509Certificate, depth: number, seen: Set<string>): boolean => {
    if (!validAt(certificate, now)) return false;
    if (anchors.fingerprints.has(certificate.fingerprint256) && selfSigned(certificate)) return true;
    if (depth >= 10) return false;
    const candidates = [
      ...(anchors.bySubject.get(certificate.issuer) ?? []),
      ...(sent.get(certificate.issuer) ?? []),
    ];
    return candidates.some(
      (issuer) =>
        !seen.has(issuer.fingerprint256) &&
        certificate.checkIssued(issuer) &&
        certificate.verify(issuer.publicKey) &&
        visit(issuer, depth + 1, new Set([...seen, issuer.fingerprint256])),
    );
  };
  return visit(leaf, 0, new Set([leaf.fingerprint256]));
}

export interface AnchorSets {
  connectionCa: AnchorSet;
  bundled: AnchorSet;
  system: AnchorSet;
}

/**
 * Which source vouches for a chain the handshake accepted, checked against each source alone: the connection's
 * CA, then the bundled public roots, then the system store — so "system" means only the system store does.
 * A chain that needs two sources together counts as the connection's CA when that and the bundled roots
 * suffice, else as the system store's (turning the store off would break it). Null when no source explains it.
 */
export function classifyChain(
  chain: readonly X509Certificate[],
  sets: AnchorSets,
  now = new Date(),
): Exclude<VouchedBy, 'pinned'> | null {
  if (chainsTo(chain, sets.connectionCa, now)) return 'connectionCa';
  if (chainsTo(chain, sets.bundled, now)) return 'bundled';
  if (chainsTo(chain, sets.system, now)) return 'system';
  if (chainsTo(chain, merged(sets.connectionCa, sets.bundled), now)) return 'connectionCa';
  if (chainsTo(chain, merged(sets.connectionCa, sets.bundled, sets.system), now)) return 'system';
  return null;
}

/** The certificates the server sent, leaf first, as Node reports them (completed with a root it found). */
export function peerChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = peer;
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/**
 * Why an accepted certificate is trusted under these sources: `authorized` is the handshake's verdict (chain
 * and host name against all of them), `pinned` whether the connection pins its fingerprint.
 */
export function whoVouched(
  peer: DetailedPeerCertificate,
  sources: TrustSources,
  verdict: { authorized: boolean; pinned: boolean },
): VouchedBy | null {
  if (verdict.pinned) return 'pinned';
  if (!verdict.authorized) return null;
  bundledSet ??= anchorSet(bundledCertificates());
  const empty = anchorSet([]);
  let system = empty;
  if (sources.trustSystemStore !== false) {
    systemSet ??= anchorSet(systemCertificates());
    system = systemSet;
  }
  return classifyChain(peerChain(peer), {
    connectionCa: sources.caPem ? connectionCaSet(sources.caPem) : empty,
    bundled: bundledSet,
    system,
  });
}
