import type { SealedValue } from '../../common/connections/store-document';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { aesGcmOpen, aesGcmSeal } from '../crypto/aes-gcm';

/**
 * Seals each secret under the data key with its connection id, its name and (v2) the digest of the destination
 * it is bound to as associated data, so a sealed value copied to another connection, to another field, or kept
 * under a record whose destination was changed, fails to open. Without a binding (v1) only id and name count.
 */
export class SealedSecrets {
  constructor(private readonly dataKey: Buffer) {}

  seal(connectionId: string, name: string, value: string, binding?: string): SealedValue {
    const box = aesGcmSeal(
      this.dataKey,
      Buffer.from(value, 'utf8'),
      associatedData(connectionId, name, binding),
    );
    return {
      nonce: box.nonce.toString('base64'),
      ciphertext: box.ciphertext.toString('base64'),
      tag: box.tag.toString('base64'),
    };
  }

  open(connectionId: string, name: string, sealed: SealedValue, binding?: string): string {
    try {
      const plaintext = aesGcmOpen(
        this.dataKey,
        {
          nonce: Buffer.from(sealed.nonce, 'base64'),
          ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
          tag: Buffer.from(sealed.tag, 'base64'),
        },
        associatedData(connectionId, name, binding),
      );
      return plaintext.toString('utf8');
    } catch {
      throw new AppFailure({
        code: AppErrorCode.storeSecretUnreadable,
        message: 'A stored secret could not be opened: it was altered or belongs to another connection.',
        hint: 'Re-enter the password or secret of this connection and save it.',
        detail: { connectionId, field: name },
      });
    }
  }
}

function associatedData(connectionId: string, name: string, binding: string | undefined): Buffer {
  return Buffer.from(
    binding === undefined
      ? `connection-utility/secret/v1\0${connectionId}\0${name}`
      : `connection-utility/secret/v2\0${connectionId}\0${name}\0${binding}`,
    'utf8',
  );
}
