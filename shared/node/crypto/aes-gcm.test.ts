import { describe, expect, it } from 'vitest';
import { aesGcmOpen, aesGcmSeal, newAesKey } from './aes-gcm';

// AES-256-GCM as the vault and the stores use it: what it refuses before OpenSSL is even asked.

const aad = Buffer.from('connection-utility/test');

describe('aesGcmSeal and aesGcmOpen', () => {
  it('seal with a 12-byte nonce and a 16-byte tag, and open what they sealed', () => {
    const key = newAesKey();
    expect(key).toHaveLength(32);
    const box = aesGcmSeal(key, Buffer.from('Pa55word!'), aad);
    expect(box.nonce).toHaveLength(12);
    expect(box.tag).toHaveLength(16);
    expect(aesGcmOpen(key, box, aad).toString()).toBe('Pa55word!');
  });

  it.each([31, 33, 16])('refuse a %i-byte key, sealing and opening', (length) => {
    const box = aesGcmSeal(newAesKey(), Buffer.from('x'), aad);
    expect(() => aesGcmSeal(Buffer.alloc(length), Buffer.from('x'), aad)).toThrow(
      new RangeError('AES-256-GCM needs a 32-byte key'),
    );
    expect(() => aesGcmOpen(Buffer.alloc(length), box, aad)).toThrow(
      new RangeError('AES-256-GCM needs a 32-byte key'),
    );
  });

  it.each<[string, { nonce?: number; tag?: number }]>([
    ['a short nonce', { nonce: 11 }],
    ['a long nonce', { nonce: 16 }],
    ['a short tag', { tag: 12 }],
    ['a long tag', { tag: 17 }],
  ])('refuse a box with %s as malformed', (_what, lengths) => {
    const key = newAesKey();
    const box = aesGcmSeal(key, Buffer.from('x'), aad);
    const bent = {
      ...box,
      nonce: lengths.nonce ? Buffer.alloc(lengths.nonce) : box.nonce,
      tag: lengths.tag ? Buffer.alloc(lengths.tag) : box.tag,
    };
    expect(() => aesGcmOpen(key, bent, aad)).toThrow(new RangeError('malformed sealed value'));
  });

  it('refuse other associated data', () => {
    const key = newAesKey();
    const box = aesGcmSeal(key, Buffer.from('x'), aad);
    expect(() => aesGcmOpen(key, box, Buffer.from('connection-utility/other'))).toThrow();
  });
});
