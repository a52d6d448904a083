import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyFileVault, keyFileName } from './key-file-vault';

const posix = process.platform !== 'win32';

describe('KeyFileVault', () => {
  it('creates a 0600 key file and opens what it sealed after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-vault-'));
    const vault = await KeyFileVault.open(dir);
    const sealed = await vault.seal(Buffer.from('data key'));
    if (posix) expect(statSync(join(dir, keyFileName)).mode & 0o777).toBe(0o600);
    const reopened = await KeyFileVault.open(dir);
    expect((await reopened.open(sealed)).toString()).toBe('data key');
  });

  it('agrees on one key when two processes create it at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-vault-'));
    const vaults = await Promise.all(Array.from({ length: 8 }, () => KeyFileVault.open(dir)));
    const sealed = await vaults[0]?.seal(Buffer.from('x'));
    for (const vault of vaults) expect((await vault.open(sealed ?? '')).toString()).toBe('x');
  });

  it.runIf(posix)('refuses a key file that other users can read, saying how to fix it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-vault-'));
    await KeyFileVault.open(dir);
    chmodSync(join(dir, keyFileName), 0o644);
    await expect(KeyFileVault.open(dir)).rejects.toMatchObject({
      appError: { code: 'vault.insecureKeyFile', hint: expect.stringContaining('chmod 600') },
    });
  });

  it('reports a damaged key file or a foreign sealed value as vault.unavailable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-vault-'));
    const sealed = await (await KeyFileVault.open(dir)).seal(Buffer.from('x'));
    const other = await KeyFileVault.open(mkdtempSync(join(tmpdir(), 'cu-vault-')));
    await expect(other.open(sealed)).rejects.toMatchObject({ appError: { code: 'vault.unavailable' } });
    writeFileSync(join(dir, keyFileName), 'short\n', { mode: 0o600 });
    await expect(KeyFileVault.open(dir)).rejects.toMatchObject({ appError: { code: 'vault.unavailable' } });
    expect(readFileSync(join(dir, keyFileName), 'utf8')).toBe('short\n');
  });
});
