import { describe, expect, it } from 'vitest';
import { passwordExpiryFromFileTime } from './expiry-password';

describe('msDS-UserPasswordExpiryTimeComputed', () => {
  it('reads a FILETIME as the instant it names', () => {
    // 2026-01-01T00:00:00Z in 100-ns intervals since 1601.
    expect(passwordExpiryFromFileTime('134116992000000000')).toBe('2026-01-01T00:00:00.000Z');
  });

  it('reads 0x7FFFFFFFFFFFFFFF as "never expires", a value like any other', () => {
    expect(passwordExpiryFromFileTime('9223372036854775807')).toBe('never');
  });

  it('reads 0 (change at next logon) as long expired', () => {
    expect(Date.parse(String(passwordExpiryFromFileTime('0')))).toBeLessThan(0);
  });

  it('leaves anything else unknown', () => {
    expect(passwordExpiryFromFileTime('')).toBeNull();
    expect(passwordExpiryFromFileTime('soon')).toBeNull();
  });
});
