import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type PeerCertificate, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateInfo } from '../../common/directory/directory-test';
import {
  caExtensions,
  issuedCertificate,
  selfSignedCertificate,
  serverExtensions,
} from '../tls/fixtures/openssl-certificates';
import { openSession } from './directory-session';
import {
  describeCertificate,
  type TrustPolicy,
  tlsOptionsFor,
  UntrustedCertificateError,
  verifyingTlsConnect,
} from './verifying-tls';

// The LDAPS certificate check against real TLS servers on loopback: a certificate a trusted CA issued is accepted
// only under a name it carries. A server showing a trusted certificate for another name (the CA vouches for
// other.contoso.test, we asked for dc1.contoso.test) is refused before the LDAP client sees the connection,
// so not one byte of a bind reaches it.

interface Pki {
  caPem: string;
  /** Issued by the CA for dc1.contoso.test. */
  dc: { cert: string; key: string };
  /** Issued by the same CA for other.contoso.test only. */
  other: { cert: string; key: string };
}

let pki: Pki;
const servers: Server[] = [];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'cu-ldaps-name-'));
  const ca = { certificate: 'ca.pem', key: 'ca.key' };
  selfSignedCertificate(dir, ca, '/CN=LDAPS Name Test CA', caExtensions);
  issuedCertificate(
    dir,
    { certificate: 'dc.pem', key: 'dc.key' },
    ca,
    '/CN=dc1.contoso.test',
    serverExtensions('DNS:dc1.contoso.test'),
  );
  issuedCertificate(
    dir,
    { certificate: 'other.pem', key: 'other.key' },
    ca,
    '/CN=other.contoso.test',
    serverExtensions('DNS:other.contoso.test'),
  );
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  pki = {
    caPem: read('ca.pem'),
    dc: { cert: read('dc.pem'), key: read('dc.key') },
    other: { cert: read('other.pem'), key: read('other.key') },
  };
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/** A TLS server on 127.0.0.1 that counts the bytes clients send after the handshake and never answers them. */
async function tlsServer(identity: {
  cert: string;
  key: string;
}): Promise<{ port: number; received: () => number }> {
  let received = 0;
  const server = createServer(identity, (socket) => {
    socket.on('data', (data: Buffer) => {
      received += data.length;
    });
    socket.on('error', () => {});
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, received: () => received };
}

type Outcome =
  | { connected: true; seen: { certificate: CertificateInfo; trusted: boolean }[] }
  | { connected: false; error: Error; seen: { certificate: CertificateInfo; trusted: boolean }[] };

/** One connection through verifyingTlsConnect, as ldapts makes it; resolves at secureConnect or the error. */
function handshake(port: number, trust: TrustPolicy, serverName?: string): Promise<Outcome> {
  const seen: { certificate: CertificateInfo; trusted: boolean }[] = [];
  const connect = verifyingTlsConnect(trust, (certificate, trusted) => seen.push({ certificate, trusted }));
  return new Promise((resolve) => {
    const socket: TLSSocket = connect({ ...tlsOptionsFor('127.0.0.1', trust, serverName), port });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve({ connected: true, seen });
    });
    socket.once('error', (error) => resolve({ connected: false, error, seen }));
  });
}

const withCa = (extra: Partial<TrustPolicy> = {}): TrustPolicy => ({
  caPem: pki.caPem,
  pinnedFingerprints: [],
  trustSystemStore: false,
  ...extra,
});

describe('LDAPS host-name verification', () => {
  it('accepts a certificate the CA issued for the name asked for', async () => {
    const server = await tlsServer(pki.dc);
    const outcome = await handshake(server.port, withCa(), 'dc1.contoso.test');
    expect(outcome.connected).toBe(true);
    expect(outcome.seen).toEqual([
      { certificate: expect.objectContaining({ vouchedBy: 'connectionCa' }), trusted: true },
    ]);
  });

  it('refuses a certificate the same CA issued for another name, before the client sees it connected', async () => {
    const server = await tlsServer(pki.other);
    const outcome = await handshake(server.port, withCa(), 'dc1.contoso.test');
    expect(outcome.connected).toBe(false);
    const error = (outcome as { error: Error }).error;
    expect(error).toBeInstanceOf(UntrustedCertificateError);
    expect(error).toMatchObject({
      reason: 'ERR_TLS_CERT_ALTNAME_INVALID',
      systemStoreTrusted: false,
      certificate: { subject: 'CN=other.contoso.test', subjectAltNames: 'DNS:other.contoso.test' },
    });
    expect(error.message).toBe('untrusted certificate: ERR_TLS_CERT_ALTNAME_INVALID');
    expect(outcome.seen).toEqual([
      { certificate: expect.objectContaining({ vouchedBy: null }), trusted: false },
    ]);
    expect(server.received()).toBe(0);
  });

  it('refuses it when only the address is known: the certificate must name the address', async () => {
    const server = await tlsServer(pki.dc);
    const outcome = await handshake(server.port, withCa());
    expect(outcome).toMatchObject({ connected: false, error: { reason: 'ERR_TLS_CERT_ALTNAME_INVALID' } });
  });

  it('refuses a bind to a DC with another name’s certificate: the password never leaves', async () => {
    const server = await tlsServer(pki.other);
    const session = await openSession(
      { host: '127.0.0.1', port: server.port, tls: 'ldaps', serverName: 'dc1.contoso.test' },
      withCa(),
      2000,
    );
    try {
      await expect(session.client.bind('svc@contoso.test', 'Pa55word!')).rejects.toBeInstanceOf(
        UntrustedCertificateError,
      );
      expect(session.certificate()).toMatchObject({ subject: 'CN=other.contoso.test' });
      expect(session.trusted()).toBe(false);
    } finally {
      session.close();
    }
    expect(server.received()).toBe(0);
  });

  it('accepts another name’s certificate only when its fingerprint is pinned (in any letter case)', async () => {
    const server = await tlsServer(pki.other);
    const refused = await handshake(server.port, withCa(), 'dc1.contoso.test');
    const fingerprint = refused.seen[0]?.certificate.fingerprint ?? '';
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const pinned = await handshake(
      server.port,
      withCa({ pinnedFingerprints: [fingerprint.toLowerCase()] }),
      'dc1.contoso.test',
    );
    expect(pinned.connected).toBe(true);
    expect(pinned.seen).toEqual([
      { certificate: expect.objectContaining({ vouchedBy: 'pinned' }), trusted: true },
    ]);
  });

  it('completes an anonymous probe’s handshake with it, reported as untrusted, when told to accept untrusted', async () => {
    const server = await tlsServer(pki.other);
    const outcome = await handshake(server.port, withCa({ acceptUntrusted: true }), 'dc1.contoso.test');
    expect(outcome.connected).toBe(true);
    expect(outcome.seen.map((seen) => seen.trusted)).toEqual([false]);
  });
});

describe('trust without the CA', () => {
  it('refuses a certificate no trusted root vouches for, saying whether the system store counted', async () => {
    const server = await tlsServer(pki.dc);
    const off = await handshake(
      server.port,
      { pinnedFingerprints: [], trustSystemStore: false },
      'dc1.contoso.test',
    );
    expect(off).toMatchObject({
      connected: false,
      error: {
        name: 'UntrustedCertificateError',
        systemStoreTrusted: false,
        reason: expect.stringMatching(/^UNABLE_TO_GET_ISSUER_CERT|^UNABLE_TO_VERIFY/),
      },
    });
    const on = await handshake(server.port, { pinnedFingerprints: [] }, 'dc1.contoso.test');
    expect(on).toMatchObject({ connected: false, error: { systemStoreTrusted: true } });
  });
});

describe('UntrustedCertificateError', () => {
  it('counts the system store as consulted unless told it was not', () => {
    const certificate = describeCertificate({
      valid_from: 'a',
      valid_to: 'b',
      fingerprint256: 'AA',
    } as unknown as PeerCertificate);
    expect(new UntrustedCertificateError(certificate, 'why')).toMatchObject({
      name: 'UntrustedCertificateError',
      systemStoreTrusted: true,
      reason: 'why',
    });
    expect(new UntrustedCertificateError(certificate, 'why', false).systemStoreTrusted).toBe(false);
  });
});

describe('tlsOptionsFor', () => {
  const trust = { pinnedFingerprints: [], trustSystemStore: false };

  it('sends the name as SNI and checks the certificate itself (not through rejectUnauthorized)', () => {
    const options = tlsOptionsFor('10.0.0.5', trust, 'dc1.contoso.test');
    expect(options).toMatchObject({
      host: '10.0.0.5',
      servername: 'dc1.contoso.test',
      rejectUnauthorized: false,
    });
    expect(options.secureContext).toBeDefined();
    expect(tlsOptionsFor('dc2.contoso.test', trust)).toMatchObject({
      host: 'dc2.contoso.test',
      servername: 'dc2.contoso.test',
    });
  });

  it('sends no SNI for an address', () => {
    expect(tlsOptionsFor('127.0.0.1', trust)).not.toHaveProperty('servername');
    expect(tlsOptionsFor('::1', trust)).not.toHaveProperty('servername');
    expect(tlsOptionsFor('dc1.contoso.test', trust, '192.0.2.1')).not.toHaveProperty('servername');
  });
});

describe('describeCertificate', () => {
  const base = {
    valid_from: 'Jan  1 00:00:00 2026 GMT',
    valid_to: 'Jan  1 00:00:00 2027 GMT',
    fingerprint256: 'AA:BB',
  };

  it('writes subject and issuer as key=value pairs, joining repeated values with +', () => {
    const certificate = {
      ...base,
      subject: { CN: 'dc1.contoso.test', OU: ['A', 'B'] },
      issuer: { CN: 'Contoso CA', O: 'Contoso' },
      subjectaltname: 'DNS:dc1.contoso.test',
    } as unknown as PeerCertificate;
    expect(describeCertificate(certificate, 'system')).toEqual({
      subject: 'CN=dc1.contoso.test, OU=A+B',
      issuer: 'CN=Contoso CA, O=Contoso',
      validFrom: base.valid_from,
      validTo: base.valid_to,
      fingerprint: 'AA:BB',
      subjectAltNames: 'DNS:dc1.contoso.test',
      vouchedBy: 'system',
    });
  });

  it('has empty names, no alternative names and no voucher when the certificate lacks them', () => {
    expect(describeCertificate({ ...base } as unknown as PeerCertificate)).toMatchObject({
      subject: '',
      issuer: '',
      subjectAltNames: null,
      vouchedBy: null,
    });
  });
});
