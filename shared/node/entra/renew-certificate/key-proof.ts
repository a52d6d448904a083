import { createHash, sign, X509Certificate } from 'node:crypto';

/** The audience Microsoft requires of addKey's and removeKey's proof (Azure AD Graph's application id). */
export const keyProofAudience = '00000002-0000-0000-c000-000000000000';
/** Microsoft allows at most ten minutes between nbf and exp. */
const lifetimeSeconds = 600;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * The proof of possession addKey and removeKey ask for (Microsoft Graph, application: addKey): a JWT signed with
 * RS256 by the private key of a certificate the application already has, that certificate named by its SHA-1
 * thumbprint (x5t), issued by the application's object id, for aud 00000002-0000-0000-c000-000000000000, valid
 * for ten minutes from `now`.
 */
export function keyProof(options: {
  objectId: string;
  certificatePem: string;
  privateKeyPem: string;
  now: Date;
}): string {
  const der = new X509Certificate(options.certificatePem).raw;
  const header = { alg: 'RS256', typ: 'JWT', x5t: base64url(createHash('sha1').update(der).digest()) };
  const nbf = Math.floor(options.now.getTime() / 1000);
  const payload = { aud: keyProofAudience, iss: options.objectId, nbf, exp: nbf + lifetimeSeconds };
  const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign('RSA-SHA256', Buffer.from(signed), options.privateKeyPem);
  return `${signed}.${base64url(signature)}`;
}
