import { beforeEach, describe, expect, it, vi } from 'vitest';

// Only Electron's safeStorage is replaced (it needs a running Electron); the vault code is the real one.
const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable: () => safeStorage.available,
  getSelectedStorageBackend: () => safeStorage.backend,
  encryptString: (text: string) => Buffer.from(`sealed:${Buffer.from(text).toString('hex')}`),
  decryptString: (sealed: Buffer) => {
    const text = sealed.toString();
    if (!text.startsWith('sealed:'))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice(7), 'hex').toString();
  },
};
vi.mock('electron', () => ({ safeStorage }));

const { SafeStorageVault } = await import('./safe-storage-vault');

describe('SafeStorageVault', () => {
  beforeEach(() => {
    safeStorage.available = true;
    safeStorage.backend = 'gnome_libsecret';
  });

  it('seals through safeStorage and opens what it sealed', async () => {
    const vault = new SafeStorageVault();
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    const sealed = await vault.seal(key);
    expect(sealed).not.toContain(key.toString('base64'));
    expect(await vault.open(sealed)).toEqual(key);
  });

  it.runIf(process.platform === 'linux')(
    'reports basic_text as weak protection, a keyring as OS protection',
    () => {
      expect(new SafeStorageVault().info).toEqual({
        kind: 'safeStorage',
        backend: 'gnome_libsecret',
        protection: 'os',
      });
      safeStorage.backend = 'basic_text';
      expect(new SafeStorageVault().info.protection).toBe('weak');
    },
  );

  it('refuses to seal when the OS cannot encrypt, saying what to do', async () => {
    safeStorage.available = false;
    const vault = new SafeStorageVault();
    expect(vault.info.protection).toBe('unavailable');
    await expect(vault.seal(Buffer.from('k'))).rejects.toMatchObject({
      appError: { code: 'vault.unavailable', hint: expect.stringContaining('keyring') },
    });
  });

  it('turns a foreign ciphertext into vault.unavailable, not a crash', async () => {
    await expect(
      new SafeStorageVault().open(Buffer.from('garbage').toString('base64')),
    ).rejects.toMatchObject({
      appError: { code: 'vault.unavailable' },
    });
  });
});
