import { describe, expect, it } from 'vitest';
import { newAesKey } from '../crypto/aes-gcm';
import { SealedSecrets } from './sealed-secrets';

const idA = '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a11';
const idB = '9d1c1c0e-8a8b-4d6f-b1a2-2f4e3d5c6b7a';

describe('SealedSecrets', () => {
  const secrets = new SealedSecrets(newAesKey());

  it('opens what it sealed, with no plaintext in the sealed value', () => {
    const sealed = secrets.seal(idA, 'password', 'Pa55word!');
    expect(JSON.stringify(sealed)).not.toContain('Pa55word!');
    expect(secrets.open(idA, 'password', sealed)).toBe('Pa55word!');
  });

  it('uses a fresh 96-bit nonce every time', () => {
    const nonces = new Set(Array.from({ length: 200 }, () => secrets.seal(idA, 'password', 'same').nonce));
    expect(nonces.size).toBe(200);
    expect(Buffer.from([...nonces][0] ?? '', 'base64')).toHaveLength(12);
  });

  it('refuses a value moved to another connection or another field', () => {
    const sealed = secrets.seal(idA, 'password', 'Pa55word!');
    expect(() => secrets.open(idB, 'password', sealed)).toThrow(
      expect.objectContaining({ name: 'AppFailure' }),
    );
    expect(() => secrets.open(idA, 'secret', sealed)).toThrow(/could not be opened/);
  });

  it('refuses a tampered value or another key', () => {
    const sealed = secrets.seal(idA, 'password', 'Pa55word!');
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    expect(() =>
      secrets.open(idA, 'password', { ...sealed, ciphertext: bytes.toString('base64') }),
    ).toThrow();
    expect(() => new SealedSecrets(newAesKey()).open(idA, 'password', sealed)).toThrow();
  });

  it('keeps non-ASCII secrets intact', () => {
    const value = 'Ünïcødé-пароль-密码-🔑';
    expect(secrets.open(idA, 'password', secrets.seal(idA, 'password', value))).toBe(value);
  });
});
