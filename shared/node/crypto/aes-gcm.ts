import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface AesGcmBox {
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

const keyBytes = 32;
const nonceBytes = 12;
const tagBytes = 16;

/** AES-256-GCM with a fresh random 96-bit nonce every time: a key may seal many values safely (< 2^32). */
export function aesGcmSeal(key: Buffer, plaintext: Buffer, associatedData: Buffer): AesGcmBox {
  if (key.length !== keyBytes) throw new RangeError('AES-256-GCM needs a 32-byte key');
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes });
  cipher.setAAD(associatedData);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
}

/** Throws when the key, the associated data or any byte of the box is wrong. */
export function aesGcmOpen(key: Buffer, box: AesGcmBox, associatedData: Buffer): Buffer {
  if (key.length !== keyBytes) throw new RangeError('AES-256-GCM needs a 32-byte key');
  if (box.nonce.length !== nonceBytes || box.tag.length !== tagBytes)
    throw new RangeError('malformed sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, box.nonce, { authTagLength: tagBytes });
  decipher.setAAD(associatedData);
  decipher.setAuthTag(box.tag);
  return Buffer.concat([decipher.update(box.ciphertext), decipher.final()]);
}

export function newAesKey(): Buffer {
  return randomBytes(keyBytes);
}
