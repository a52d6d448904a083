import { describe, expect, it } from 'vitest';
import { aesGcmSeal, newAesKey } from '../crypto/aes-gcm';
import { SealedSecrets } from './sealed-secrets';

// The associated data of a sealed secret is part of every value already stored (connections.json from before
// binding holds v1, the store v2), so its exact form is pinned here: sealed by hand with the documented bytes,
// each must still open, and only under the same connection, field and binding.

const id = '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a11';

function sealedByHand(key: Buffer, associatedData: string) {
  const box = aesGcmSeal(key, Buffer.from('Pa55word!', 'utf8'), Buffer.from(associatedData, 'utf8'));
  return {
    nonce: box.nonce.toString('base64'),
    ciphertext: box.ciphertext.toString('base64'),
    tag: box.tag.toString('base64'),
  };
}

describe('SealedSecrets, as stored', () => {
  it('opens a v1 value (connection id and field only) without a binding', () => {
    const key = newAesKey();
    const sealed = sealedByHand(key, `connection-utility/secret/v1\0${id}\0password`);
    expect(new SealedSecrets(key).open(id, 'password', sealed)).toBe('Pa55word!');
    expect(() => new SealedSecrets(key).open(id, 'password', sealed, 'digest')).toThrow();
  });

  it('opens a v2 value only with the binding it was sealed to', () => {
    const key = newAesKey();
    const sealed = sealedByHand(key, `connection-utility/secret/v2\0${id}\0password\0digest-1`);
    expect(new SealedSecrets(key).open(id, 'password', sealed, 'digest-1')).toBe('Pa55word!');
    expect(() => new SealedSecrets(key).open(id, 'password', sealed, 'digest-2')).toThrow();
    expect(() => new SealedSecrets(key).open(id, 'password', sealed)).toThrow();
  });

  it('seals so that the documented bytes open it', () => {
    const key = newAesKey();
    const secrets = new SealedSecrets(key);
    expect(secrets.open(id, 'secret', secrets.seal(id, 'secret', 'v', 'd'), 'd')).toBe('v');
    const v1 = secrets.seal(id, 'secret', 'v');
    expect(secrets.open(id, 'secret', v1)).toBe('v');
    expect(() => secrets.open(id, 'secret', v1, 'undefined')).toThrow();
  });

  it('says which connection and field could not be opened, and what to do', () => {
    const secrets = new SealedSecrets(newAesKey());
    const sealed = secrets.seal(id, 'password', 'x');
    let failure: unknown;
    try {
      secrets.open(id, 'secret', sealed);
    } catch (error) {
      failure = error;
    }
    expect((failure as { appError: unknown }).appError).toEqual({
      code: 'store.secretUnreadable',
      message: 'A stored secret could not be opened: it was altered or belongs to another connection.',
      hint: 'Re-enter the password or secret of this connection and save it.',
      detail: { connectionId: id, field: 'secret' },
    });
  });
});
