import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1Thumbprint } from '../../connections/expiry-records';
import { certificateValidFor } from '../../connections/expiry-test-certificate';
import { keyProof, keyProofAudience } from './key-proof';
import { newAppCertificate } from './new-certificate';

const objectId = '6f1c5a0e-9d5b-4c1e-8f0a-2b3c4d5e6f70';

describe('the addKey proof of possession', () => {
  it('is an RS256 JWT naming the signing certificate by x5t, for Graph’s audience and the object id, ten minutes long', () => {
    const { pem, keyPem } = certificateValidFor(30);
    const now = new Date('2026-06-01T12:00:00Z');
    const [header, payload, signature] = keyProof({
      objectId,
      certificatePem: pem,
      privateKeyPem: keyPem,
      now,
    }).split('.');
    const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString());
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT', x5t: expect.any(String) });
    expect(Buffer.from(decode(header).x5t, 'base64url').toString('hex').toUpperCase()).toBe(
      sha1Thumbprint(pem),
    );
    expect(decode(payload)).toEqual({
      aud: keyProofAudience,
      iss: objectId,
      nbf: 1780315200,
      exp: 1780315800,
    });
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        createPublicKey(pem),
        Buffer.from(signature ?? '', 'base64url'),
      ),
    ).toBe(true);
  });
});

describe('the new certificate', () => {
  it('is RSA 2048, matches its key, and lasts the days asked for', async () => {
    const now = new Date();
    const made = await newAppCertificate({
      commonName: 'Connection Utility contoso.test',
      validityDays: 90,
      now,
    });
    const { X509Certificate, createPrivateKey } = await import('node:crypto');
    const certificate = new X509Certificate(made.certificatePem);
    expect(certificate.subject).toBe('CN=Connection Utility contoso.test');
    expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(certificate.checkPrivateKey(createPrivateKey(made.privateKeyPem))).toBe(true);
    expect(made.thumbprint).toBe(sha1Thumbprint(made.certificatePem));
    expect(Math.round((made.notAfter.getTime() - now.getTime()) / 86_400_000)).toBe(90);
    expect(new Date(certificate.validFrom).getTime()).toBeLessThan(now.getTime());
  });
});
