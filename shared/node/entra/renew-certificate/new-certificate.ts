import { certificateFacts, makeAppCertificate } from '../app-certificate';

export interface NewAppCertificate {
  certificatePem: string;
  /** PKCS#8 PEM: sealed in the store, never written anywhere else. */
  privateKeyPem: string;
  /** SHA-1, upper-case hex: the thumbprint the Entra admin center shows. */
  thumbprint: string;
  notAfter: Date;
}

const dayMs = 24 * 60 * 60 * 1000;

/** The successor of an app's certificate: a new key pair, valid `validityDays` from `now`. */
export async function newAppCertificate(options: {
  commonName: string;
  validityDays: number;
  now: Date;
}): Promise<NewAppCertificate> {
  const made = await makeAppCertificate({
    commonName: options.commonName,
    notAfter: new Date(options.now.getTime() + options.validityDays * dayMs),
    now: options.now,
  });
  const facts = certificateFacts(made.pem);
  return {
    certificatePem: made.pem,
    privateKeyPem: made.privateKeyPem,
    thumbprint: facts.thumbprint,
    notAfter: new Date(facts.notAfter),
  };
}
