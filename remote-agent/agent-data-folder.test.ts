import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentConnectionPutSchema } from '../shared/common/agent/agent-api';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { AgentStore, agentStoreFileName } from './agent-store';
import { apiKeyFileName, loadApiKey, readApiKey } from './api-key';
import { legacyAgentStoreFileName } from './legacy-agent-file';

// Rule 8 for the Remote Agent's data folder: its API key and its store are the agent account's alone.

/** A data folder someone made readable by everyone. */
function openFolder(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cu-agent-data-')), 'agent');
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  return dir;
}

describe.runIf(process.platform !== 'win32')('the Remote Agent data folder (rule 8)', () => {
  it('opening the store makes the folder 0700, and the files it writes are 0600', async () => {
    const dir = openFolder();
    const store = await AgentStore.open(dir, await KeyFileVault.open(dir));
    await store.put(
      'contoso.test',
      AgentConnectionPutSchema.parse({
        authMode: 'password',
        userPrincipalName: 'admin@contoso.test',
        secret: 'not-a-real-password',
      }),
    );
    // While it is open SQLite keeps the latest writes in -wal (and an index in -shm): those hold secrets too.
    const storeFiles = readdirSync(dir).filter((name) => name.startsWith(agentStoreFileName));
    expect(storeFiles).toEqual(
      expect.arrayContaining([agentStoreFileName, `${agentStoreFileName}-wal`, `${agentStoreFileName}-shm`]),
    );
    for (const name of storeFiles) expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
    store.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, agentStoreFileName)).mode & 0o777).toBe(0o600);
    const { created } = await loadApiKey(dir, false);
    expect(created).toBe(true);
    expect(statSync(join(dir, apiKeyFileName)).mode & 0o777).toBe(0o600);
  });

  it('refuses an api-key others can read, with the chmod line, and keeps it as it is', async () => {
    const dir = openFolder();
    const file = join(dir, apiKeyFileName);
    writeFileSync(file, 'the-old-key\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    await expect(loadApiKey(dir, false)).rejects.toMatchObject({
      appError: {
        code: 'store.insecurePermissions',
        hint: expect.stringContaining(`chmod 600 '${file}'`),
        detail: { file, mode: '644' },
      },
    });
    chmodSync(file, 0o600);
    await expect(loadApiKey(dir, false)).resolves.toEqual({ key: 'the-old-key', created: false });
  });

  it('reading the key for `key show` refuses the same api-key, and finds none in a new folder', async () => {
    const dir = openFolder();
    await expect(readApiKey(dir)).resolves.toBeNull();
    const file = join(dir, apiKeyFileName);
    writeFileSync(file, 'the-old-key\n', { mode: 0o604 });
    chmodSync(file, 0o604);
    await expect(readApiKey(dir)).rejects.toMatchObject({
      appError: { code: 'store.insecurePermissions', hint: expect.stringContaining(`chmod 600 '${file}'`) },
    });
    chmodSync(file, 0o600);
    await expect(readApiKey(dir)).resolves.toBe('the-old-key');
  });

  it('refuses an agent-connections.db others can read, with the chmod line', async () => {
    const dir = openFolder();
    const first = await AgentStore.open(dir, await KeyFileVault.open(dir));
    first.close();
    const file = join(dir, agentStoreFileName);
    chmodSync(file, 0o644);
    await expect(AgentStore.open(dir, await KeyFileVault.open(dir))).rejects.toMatchObject({
      appError: { code: 'store.insecurePermissions', hint: expect.stringContaining(`chmod 600 '${file}'`) },
    });
  });

  it('refuses an old agent-connections.json others can read, with the chmod line, and leaves it there', async () => {
    const dir = openFolder();
    const file = join(dir, legacyAgentStoreFileName);
    writeFileSync(file, '{"version":1,"connections":[],"secrets":[]}\n', { mode: 0o640 });
    chmodSync(file, 0o640);
    await expect(AgentStore.open(dir, await KeyFileVault.open(dir))).rejects.toMatchObject({
      appError: { code: 'store.insecurePermissions', hint: expect.stringContaining(`chmod 600 '${file}'`) },
    });
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });
});
