import { createHash, KeyObject, X509Certificate } from 'node:crypto';
import { loadX509 } from '../crypto/x509-library';

// An application's certificate for signing in to Entra (client assertions): made by "Set up certificate sign-in"
// and by Renew certificate. The key is made in memory; the caller seals it before anything is sent.

/** The certificate and its key as main keeps them; only the certificate ever leaves main (to Graph). */
export interface AppCertificate {
  pem: string;
  /** PKCS#8 PEM: sealed in the store, never sent anywhere. */
  privateKeyPem: string;
}

/** What Graph and the admin see of a certificate. */
export interface CertificateFacts {
  /** SHA-1 of the DER, upper-case hex: how the Entra admin center shows a certificate. */
  thumbprint: string;
  /** The same SHA-1 as base64: Graph's customKeyIdentifier when the request names none. */
  keyIdentifier: string;
  /** Base64 DER: a keyCredential's `key`. */
  derBase64: string;
  notAfter: string;
}

const hour = 60 * 60 * 1000;
// RSA: Entra verifies client assertions signed with RS256.
const rsa = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

/** A new RSA 2048 key and a self-signed certificate for it, valid until `notAfter`. */
export async function makeAppCertificate(options: {
  commonName: string;
  notAfter: Date;
  now?: Date;
}): Promise<AppCertificate> {
  const x509 = await loadX509();
  const now = options.now ?? new Date();
  // The global Web Crypto, not node:crypto's: its key types are the ones @peculiar/x509 is typed against under
  // any lib (the e2e programs compile with the DOM's).
  const keys = await crypto.subtle.generateKey(rsa, true, ['sign', 'verify']);
  const serial = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
  // A positive serial number: the top bit clear.
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      name: `CN=${options.commonName.replace(/[,+"\\<>;=#]/g, ' ').trim() || 'Connection Utility'}`,
      // A little in the past: Entra accepts an assertion at once even when this host's clock runs ahead.
      notBefore: new Date(now.getTime() - hour),
      notAfter: options.notAfter,
      signingAlgorithm: rsa,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return {
    pem: certificate.toString('pem'),
    privateKeyPem: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function certificateFacts(pem: string): CertificateFacts {
  const certificate = new X509Certificate(pem);
  const sha1 = createHash('sha1').update(certificate.raw).digest();
  return {
    thumbprint: sha1.toString('hex').toUpperCase(),
    keyIdentifier: sha1.toString('base64'),
    derBase64: certificate.raw.toString('base64'),
    notAfter: new Date(certificate.validTo).toISOString(),
  };
}

/** The common name of a certificate's subject, to carry over to its successor; null when it has none. */
export function commonNameOf(certificatePem: string): string | null {
  const subject = new X509Certificate(certificatePem).subject;
  return /^CN=(.+)$/m.exec(subject)?.[1]?.trim() || null;
}
