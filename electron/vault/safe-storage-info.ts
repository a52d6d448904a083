import { safeStorage } from 'electron';
import type { VaultInfo } from '../../shared/common/app-info';

/** Must run after app 'ready': before it, Linux has not chosen a backend yet. */
export function safeStorageInfo(): VaultInfo {
  const backend =
    process.platform === 'linux'
      ? safeStorage.getSelectedStorageBackend()
      : process.platform === 'darwin'
        ? 'keychain'
        : 'dpapi';
  if (!safeStorage.isEncryptionAvailable()) {
    return { kind: 'safeStorage', backend, protection: 'unavailable' };
  }
  // basic_text: Chromium found no keyring and encrypts with a hard-coded password.
  return { kind: 'safeStorage', backend, protection: backend === 'basic_text' ? 'weak' : 'os' };
}
