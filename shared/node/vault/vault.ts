import type { VaultInfo } from '../../common/app-info';

/**
 * Seals the store's data key. One interface, one implementation per place we run:
 * SafeStorageVault (electron/, the OS keychain) and KeyFileVault (here: CLI, tests, Remote Agent).
 */
export interface Vault {
  readonly info: VaultInfo;
  /** Returns base64 that only this vault can open. */
  seal(plaintext: Buffer): Promise<string>;
  open(sealed: string): Promise<Buffer>;
}
