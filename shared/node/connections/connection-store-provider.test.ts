import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionSaveRequestSchema } from '../../common/connections/save-request';
import { contosoOnline } from '../ipc/fixtures/test-host';
import { KeyFileVault } from '../vault/key-file-vault';
import { storeFileName } from './connection-store';
import { type ConnectionStoreProvider, createConnectionStoreProvider } from './connection-store-provider';

// Rule 8 at the place the app opens its data folder: every host (Electron, CLI, development host) goes through it.

const providers: ConnectionStoreProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
});

function provider(dir: string): ConnectionStoreProvider {
  const opened = createConnectionStoreProvider({ dir, vault: () => KeyFileVault.open(dir) });
  providers.push(opened);
  return opened;
}

/** A data folder another program made readable by everyone, as a shared or restored folder would be. */
function openFolder(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cu-provider-')), 'Connection Utility');
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  return dir;
}

describe.runIf(process.platform !== 'win32')('connection store provider (rule 8)', () => {
  it('opening the store makes the data folder 0700, and the database and its journal 0600', async () => {
    const dir = openFolder();
    const stores = provider(dir);
    await (await stores.forReading()).saveAgentKey('http://localhost:40002', 'not-a-real-key');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, storeFileName)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, `${storeFileName}-wal`)).mode & 0o777).toBe(0o600);
  });

  it('refuses a connections.db that group or others can read, naming the chmod line', async () => {
    const dir = openFolder();
    const stores = provider(dir);
    await (await stores.forWriting()).save(ConnectionSaveRequestSchema.parse(contosoOnline));
    await stores.close();
    const file = join(dir, storeFileName);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o644);
    await expect(provider(dir).forWriting()).rejects.toMatchObject({
      appError: {
        code: 'store.insecurePermissions',
        hint: expect.stringContaining(`chmod 600 '${file}'`),
        detail: { file },
      },
    });
    await expect(provider(dir).forReading()).rejects.toMatchObject({
      appError: { code: 'store.insecurePermissions' },
    });
    chmodSync(file, 0o600);
    expect((await provider(dir).forReading()).list().connections).toHaveLength(1);
  });

  it('refuses a connections.json (from before the database) others can read, before migrating it', async () => {
    const dir = openFolder();
    writeFileSync(join(dir, 'connections.json'), '{"version":1,"connections":[],"secrets":[]}\n', {
      mode: 0o604,
    });
    chmodSync(join(dir, 'connections.json'), 0o604);
    await expect(provider(dir).forReading()).rejects.toMatchObject({
      appError: { code: 'store.insecurePermissions' },
    });
  });
});
