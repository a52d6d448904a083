import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyFileVault } from '../vault/key-file-vault';
import type { Vault } from '../vault/vault';
import { ConnectionStore, storeFileName } from './connection-store';
import { adSaveRequest, clientSecretSaveRequest } from './fixtures/save-requests';

// The store's sealing, case by case: the data key (unsealed once, created once even by two processes at the same
// time), "Trust this certificate" re-sealing a password to the new pin, a secret whose record was changed by hand
// never following it to a new destination, and what a save says when the key cannot be had.

const stores: ConnectionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

/** The real key-file vault of `dir`, counting how often the data key is unsealed. */
async function countingVault(dir: string): Promise<{ vault: Vault; opened: () => number }> {
  const real = await KeyFileVault.open(dir);
  let opened = 0;
  return {
    vault: {
      info: real.info,
      seal: (plaintext) => real.seal(plaintext),
      open: (sealed) => {
        opened += 1;
        return real.open(sealed);
      },
    },
    opened: () => opened,
  };
}

async function open(dir: string, vault?: Vault): Promise<ConnectionStore> {
  const store = await ConnectionStore.open({ dir, vault: vault ?? (await KeyFileVault.open(dir)) });
  stores.push(store);
  return store;
}

function editByHand(dir: string, sql: string, ...values: string[]): void {
  const db = new DatabaseSync(join(dir, storeFileName));
  try {
    db.prepare(sql).run(...values);
  } finally {
    db.close();
  }
}

const ad = adSaveRequest;

const online = () => clientSecretSaveRequest({ secret: 's3cret' });

const pin = `${'AB:'.repeat(31)}AB`;

/** A vault of another kind than the key file that sealed the store's data key: it can open nothing of it. */
const foreign: Vault = {
  info: { kind: 'safeStorage', backend: 'test', protection: 'os' },
  seal: async () => '',
  open: async () => Buffer.alloc(32),
};

describe('the data key', () => {
  it('is unsealed once per store, however many secrets are read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-sealing-'));
    const first = await open(dir);
    const { id } = await first.save(ad({ password: 'Pa55word!' }));
    const { vault, opened } = await countingVault(dir);
    const store = await open(dir, vault);
    for (let read = 0; read < 3; read += 1) expect(await store.readSecret(id)).toBe('Pa55word!');
    expect(opened()).toBe(1);
  });

  it('is not unsealed to read a record that has no bound secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-sealing-'));
    const first = await open(dir);
    await first.save(ad({ password: 'Pa55word!' }));
    const bare = await first.save(ad({ name: 'No password' }));
    const { vault, opened } = await countingVault(dir);
    const store = await open(dir, vault);
    expect(await store.boundSecret(bare.id)).toMatchObject({ secret: null });
    expect(opened()).toBe(0);
  });

  it('is created once when two processes save their first secrets at the same time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-sealing-'));
    const [a, b] = [await open(dir), await open(dir)];
    const [savedA, savedB] = await Promise.all([
      a.save(ad({ name: 'A', password: 'secret-a' })),
      b.save(ad({ name: 'B', password: 'secret-b' })),
    ]);
    const fresh = await open(dir);
    expect(await fresh.readSecret(savedA.id)).toBe('secret-a');
    expect(await fresh.readSecret(savedB.id)).toBe('secret-b');
  });

  it('is not replaced by a process that made its own while another stored one first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-sealing-'));
    const real = await KeyFileVault.open(dir);
    // The second process seals its new key only once the first has saved a secret with its own key.
    let release!: () => void;
    const firstDone = new Promise<void>((resolve) => {
      release = resolve;
    });
    const late: Vault = {
      info: real.info,
      seal: async (plaintext) => {
        await firstDone;
        return real.seal(plaintext);
      },
      open: (sealed) => real.open(sealed),
    };
    const [a, b] = [await open(dir), await open(dir, late)];
    const savingB = b.save(ad({ name: 'B', password: 'secret-b' }));
    const savedA = await a.save(ad({ name: 'A', password: 'secret-a' }));
    release();
    const savedB = await savingB;
    const fresh = await open(dir);
    expect(await fresh.readSecret(savedA.id)).toBe('secret-a');
    expect(await fresh.readSecret(savedB.id)).toBe('secret-b');
  });

  it('lost by hand: a save that has to re-seal says the store has no data key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-sealing-'));
    let store = await open(dir);
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    await store.close();
    editByHand(dir, "DELETE FROM meta WHERE name = 'dataKey'");
    store = await open(dir);
    const moved = ad({ id: saved.id, targets: [{ host: 'dc2.contoso.com', port: 636, tls: 'ldaps' }] });
    await expect(store.save(moved, { keepSecret: () => true })).rejects.toMatchObject({
      appError: {
        code: 'store.secretUnreadable',
        message: 'A stored secret could not be opened: the store has no data key.',
        hint: 'Re-enter the password or secret of this connection and save it.',
      },
    });
  });

  it('sealed by another kind of vault: a save that has to re-seal says so, and leaves the secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-sealing-'));
    const store = await open(dir);
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    const other = await open(dir, foreign);
    const moved = ad({ id: saved.id, targets: [{ host: 'dc2.contoso.com', port: 636, tls: 'ldaps' }] });
    await expect(other.save(moved, { keepSecret: () => true })).rejects.toMatchObject({
      appError: { code: 'vault.mismatch' },
    });
    expect(await store.readSecret(saved.id)).toBe('Pa55word!');
  });
});

describe('Trust this certificate (pinCertificate)', () => {
  it('adds the pin once and re-seals the password to it', async () => {
    const store = await open(mkdtempSync(join(tmpdir(), 'cu-sealing-')));
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    const pinned = await store.pinCertificate(saved.id, pin);
    expect(pinned).toMatchObject({ hasPassword: true, trust: { pinnedFingerprints: [pin] } });
    expect(await store.readSecret(saved.id)).toBe('Pa55word!');
    expect(await store.pinCertificate(saved.id, pin)).toMatchObject({ trust: { pinnedFingerprints: [pin] } });
    expect(store.get(saved.id)).toMatchObject({ trust: { pinnedFingerprints: [pin] }, hasPassword: true });
  });

  it('keeps the CA and pins already there', async () => {
    const store = await open(mkdtempSync(join(tmpdir(), 'cu-sealing-')));
    const other = `${'01:'.repeat(31)}01`;
    const saved = await store.save(ad({ password: 'x', trust: { pinnedFingerprints: [other] } }));
    expect(await store.pinCertificate(saved.id, pin)).toMatchObject({
      trust: { pinnedFingerprints: [other, pin] },
    });
  });

  it('on a connection without a password, says there is none', async () => {
    const store = await open(mkdtempSync(join(tmpdir(), 'cu-sealing-')));
    const saved = await store.save(ad());
    expect(await store.pinCertificate(saved.id, pin)).toMatchObject({ hasPassword: false });
  });

  it('sealed by another kind of vault: says so, and leaves the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-sealing-'));
    const store = await open(dir);
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    await expect((await open(dir, foreign)).pinCertificate(saved.id, pin)).rejects.toMatchObject({
      appError: { code: 'vault.mismatch' },
    });
    expect(await store.readSecret(saved.id)).toBe('Pa55word!');
  });

  it('refuses a Microsoft Online connection', async () => {
    const store = await open(mkdtempSync(join(tmpdir(), 'cu-sealing-')));
    const saved = await store.save(online());
    await expect(store.pinCertificate(saved.id, pin)).rejects.toMatchObject({
      appError: {
        code: 'input.invalid',
        message: 'The connection was not saved: only Active Directory connections pin certificates.',
        detail: { issues: ['kind: only Active Directory connections pin certificates'] },
      },
    });
  });
});

describe('a record changed by hand', () => {
  it('does not take its secret along to the next destination, even one main vouches for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-sealing-'));
    let store = await open(dir);
    const saved = await store.save(ad({ password: 'Pa55word!' }));
    await store.close();
    // The destination moved behind the store's back; the secret's binding still names the old one.
    editByHand(
      dir,
      `UPDATE connections SET record = json_set(record, '$.targets', json('[{"host":"rogue.example","port":636,"tls":"ldaps"}]')) WHERE id = ?`,
      saved.id,
    );
    store = await open(dir);
    const next = ad({ id: saved.id, targets: [{ host: 'dc2.contoso.com', port: 636, tls: 'ldaps' }] });
    expect(await store.save(next, { keepSecret: () => true })).toMatchObject({ hasPassword: false });
    expect(await store.readSecret(saved.id)).toBeNull();
  });
});
