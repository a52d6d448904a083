import { safeStorage } from 'electron';
import type { VaultInfo } from '../../shared/common/app-info';
import { AppFailure } from '../../shared/common/errors/app-error';
import { AppErrorCode } from '../../shared/common/errors/error-codes';
import type { Vault } from '../../shared/node/vault/vault';
import { safeStorageInfo } from './safe-storage-info';

/** Seals the store's data key with the OS: DPAPI on Windows, the Keychain on macOS, libsecret/kwallet on Linux. */
export class SafeStorageVault implements Vault {
  get info(): VaultInfo {
    return safeStorageInfo();
  }

  async seal(plaintext: Buffer): Promise<string> {
    this.requireAvailable();
    return safeStorage.encryptString(plaintext.toString('base64')).toString('base64');
  }

  async open(sealed: string): Promise<Buffer> {
    this.requireAvailable();
    try {
      return Buffer.from(safeStorage.decryptString(Buffer.from(sealed, 'base64')), 'base64');
    } catch {
      throw new AppFailure({
        code: AppErrorCode.vaultUnavailable,
        message:
          'The OS keychain could not open the stored secrets (they were sealed by another user or machine).',
        hint: 'Re-enter the passwords and secrets of your connections.',
      });
    }
  }

  private requireAvailable(): void {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new AppFailure({
        code: AppErrorCode.vaultUnavailable,
        message: 'The OS cannot encrypt secrets for this user right now.',
        hint: 'Sign in to a desktop session with an unlocked keyring (GNOME Keyring, KWallet), then restart.',
      });
    }
  }
}
