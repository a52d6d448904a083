import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VaultInfo } from '../../common/app-info';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { aesGcmOpen, aesGcmSeal } from '../crypto/aes-gcm';
import { chmodLine, exposedMode } from '../storage/private-folder';
import type { Vault } from './vault';

export const keyFileName = 'vault.key';
export const keyFileVaultInfo: VaultInfo = { kind: 'keyFile', backend: 'file', protection: 'file' };
const associatedData = Buffer.from('connection-utility/key-file-vault/v1');

/**
 * Outside Electron there is no OS keychain API, so the data key is sealed with a random key kept in a file
 * only the user can read (0600). It protects against copies of the store, not against the user's own account.
 */
export class KeyFileVault implements Vault {
  readonly info: VaultInfo = keyFileVaultInfo;

  private constructor(
    private readonly key: Buffer,
    readonly path: string,
  ) {}

  static async open(dir: string): Promise<KeyFileVault> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, keyFileName);
    const key = (await readKeyFile(path)) ?? (await createKeyFile(path));
    return new KeyFileVault(key, path);
  }

  async seal(plaintext: Buffer): Promise<string> {
    const box = aesGcmSeal(this.key, plaintext, associatedData);
    return Buffer.concat([box.nonce, box.tag, box.ciphertext]).toString('base64');
  }

  async open(sealed: string): Promise<Buffer> {
    const bytes = Buffer.from(sealed, 'base64');
    try {
      return aesGcmOpen(
        this.key,
        { nonce: bytes.subarray(0, 12), tag: bytes.subarray(12, 28), ciphertext: bytes.subarray(28) },
        associatedData,
      );
    } catch {
      throw new AppFailure({
        code: AppErrorCode.vaultUnavailable,
        message: 'The stored secrets were sealed with a different key file and cannot be opened.',
        hint: `Restore the original ${keyFileName} in the data folder, or re-enter the passwords and secrets.`,
        detail: { keyFile: this.path },
      });
    }
  }
}

async function readKeyFile(path: string): Promise<Buffer | null> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if ((await exposedMode(path)) !== null) {
    throw new AppFailure({
      code: AppErrorCode.vaultInsecureKeyFile,
      message: 'The vault key file can be read by other users, so the stored secrets are not protected.',
      hint: `Run "${chmodLine(path, 0o600)}" and try again.`,
      detail: { keyFile: path },
    });
  }
  const key = Buffer.from(content.toString('utf8').trim(), 'base64');
  if (key.length !== 32) {
    throw new AppFailure({
      code: AppErrorCode.vaultUnavailable,
      message: 'The vault key file is damaged.',
      hint: `Restore ${keyFileName} from a backup; without it the stored secrets must be re-entered.`,
      detail: { keyFile: path },
    });
  }
  return key;
}

/** Create-if-absent without a race: write a private temp file, then hard-link it into place (fails if taken). */
async function createKeyFile(path: string): Promise<Buffer> {
  const key = randomBytes(32);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(temp, 0o600);
  try {
    await link(temp, path);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKeyFile(path);
    if (!winner) throw error;
    return winner;
  } finally {
    await unlink(temp).catch(() => {});
  }
}
