import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionSaveRequestSchema } from '../../common/connections/save-request';
import { ConnectionStore } from '../connections/connection-store';
import { createConnectionStoreProvider } from '../connections/connection-store-provider';
import { KeyFileVault } from '../vault/key-file-vault';
import { watchConnectionStores } from './store-watch';

const ad = (name: string) =>
  ConnectionSaveRequestSchema.parse({
    kind: 'activeDirectory',
    name,
    domain: 'contoso.test',
    targets: [{ host: 'dc1.contoso.test', port: 636, tls: 'ldaps' }],
    bindUser: 'svc-idm@contoso.test',
  });

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** The window's provider, watched every 20 ms, and a second connection to the same store: "the CLI". */
async function setUp(onChange: () => void, onError?: (error: unknown) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'cu-store-watch-'));
  const stores = watchConnectionStores(
    createConnectionStoreProvider({ dir, vault: () => KeyFileVault.open(dir) }),
    { onChange, intervalMs: 20, ...(onError ? { onError } : {}) },
  );
  closers.push(() => stores.close());
  const window = await stores.forReading();
  const other = await ConnectionStore.open({ dir, vault: await KeyFileVault.open(dir) });
  closers.push(() => other.close());
  return { stores, window, other };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 120));

describe('watchConnectionStores', () => {
  it('reports a commit by another connection to the store, and not the window’s own', async () => {
    const onChange = vi.fn();
    const { window, other } = await setUp(onChange);
    await window.save(ad('saved by the window'));
    await settle();
    expect(onChange).not.toHaveBeenCalled();

    await other.save(ad('saved by the CLI'));
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(1), { timeout: 1000, interval: 10 });
    expect(window.list().connections.map((c) => c.name)).toEqual(['saved by the window', 'saved by the CLI']);
  });

  it('watches the store once however often it is asked for, and stops when closed', async () => {
    const onChange = vi.fn();
    const { stores, other } = await setUp(onChange);
    await Promise.all([stores.forReading(), stores.forWriting(), stores.forReading()]);
    await other.save(ad('one'));
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(1), { timeout: 1000, interval: 10 });
    await settle();
    expect(onChange).toHaveBeenCalledTimes(1);

    await stores.close();
    await other.save(ad('two'));
    await settle();
    expect(onChange).toHaveBeenCalledTimes(1);

    // Reopened (as after a failed open or a close), the new store is watched.
    await stores.forReading();
    await other.save(ad('three'));
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(2), { timeout: 1000, interval: 10 });
  });

  it('hands a throwing listener’s error to onError and keeps watching', async () => {
    const onError = vi.fn();
    const onChange = vi.fn(() => {
      throw new Error('window gone');
    });
    const { other } = await setUp(onChange, onError);
    await other.save(ad('one'));
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1), { timeout: 1000, interval: 10 });
    await other.save(ad('two'));
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(2), { timeout: 1000, interval: 10 });
  });
});
