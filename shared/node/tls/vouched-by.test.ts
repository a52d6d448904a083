import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from './fixtures/test-pki';
import { type AnchorSets, anchorSet, classifyChain } from './vouched-by';

let pki: TestPki;
const x509 = (pem: string) => new X509Certificate(pem);
const sets = (parts: Partial<Record<keyof AnchorSets, string[]>>): AnchorSets => ({
  connectionCa: anchorSet(parts.connectionCa ?? []),
  bundled: anchorSet(parts.bundled ?? []),
  system: anchorSet(parts.system ?? []),
});

beforeAll(() => {
  pki = makeTestPki();
}, 60_000);

describe('classifyChain: which source vouches for an accepted chain', () => {
  it('names the only source that holds the root', () => {
    const chain = [x509(pki.leafPem)];
    expect(classifyChain(chain, sets({ system: [pki.rootPem] }))).toBe('system');
    expect(classifyChain(chain, sets({ bundled: [pki.rootPem] }))).toBe('bundled');
    expect(classifyChain(chain, sets({ connectionCa: [pki.rootPem] }))).toBe('connectionCa');
    expect(classifyChain(chain, sets({}))).toBeNull();
  });

  it('prefers the connection’s CA, then the public roots: "system" means only the system store', () => {
    const chain = [x509(pki.leafPem)];
    expect(classifyChain(chain, sets({ connectionCa: [pki.rootPem], system: [pki.rootPem] }))).toBe(
      'connectionCa',
    );
    expect(classifyChain(chain, sets({ bundled: [pki.rootPem], system: [pki.rootPem] }))).toBe('bundled');
  });

  it('does not count a look-alike root (same name, other key)', () => {
    const chain = [x509(pki.leafPem)];
    expect(classifyChain(chain, sets({ bundled: [pki.impostorRootPem], system: [pki.rootPem] }))).toBe(
      'system',
    );
    expect(classifyChain(chain, sets({ bundled: [pki.impostorRootPem] }))).toBeNull();
  });

  it('follows an intermediate the server sent up to the root', () => {
    const chain = [x509(pki.viaIntermediatePem), x509(pki.intermediatePem)];
    expect(classifyChain(chain, sets({ system: [pki.rootPem] }))).toBe('system');
    // A root must sign itself: an intermediate alone in a source is no anchor (as in OpenSSL).
    expect(classifyChain([x509(pki.viaIntermediatePem)], sets({ system: [pki.intermediatePem] }))).toBeNull();
  });

  it('a chain that needs two sources together: the connection’s CA with the public roots, else the system', () => {
    const leaf = [x509(pki.viaIntermediatePem)];
    expect(classifyChain(leaf, sets({ connectionCa: [pki.intermediatePem], bundled: [pki.rootPem] }))).toBe(
      'connectionCa',
    );
    expect(classifyChain(leaf, sets({ connectionCa: [pki.intermediatePem], system: [pki.rootPem] }))).toBe(
      'system',
    );
  });

  it('refuses a chain whose certificates are not valid now', () => {
    const chain = [x509(pki.leafPem)];
    const later = new Date(Date.now() + 10 * 24 * 3600 * 1000);
    expect(classifyChain(chain, sets({ system: [pki.rootPem] }), later)).toBeNull();
  });
});
