import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentConnectionPutSchema } from '../shared/common/agent/agent-api';
import { acquireFileLock } from '../shared/node/storage/file-lock';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { AgentStore, type AgentStoreOptions } from './agent-store';
import { legacyFileName, writeLegacyAgentFile } from './fixtures/legacy-agent-json';

const opened: AgentStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

async function open(dir: string, options: AgentStoreOptions = {}): Promise<AgentStore> {
  const store = await AgentStore.open(dir, await KeyFileVault.open(dir), options);
  opened.push(store);
  return store;
}

const at = new Date('2026-05-06T07:08:09.012Z');
const stamp = '2026-05-06T07-08-09-012Z';

const connections = {
  'contoso.test': AgentConnectionPutSchema.parse({
    authMode: 'password',
    userPrincipalName: 'admin@contoso.test',
    secret: 'Contoso-Pa55!',
  }),
  'fabrikam.test': AgentConnectionPutSchema.parse({
    authMode: 'clientSecret',
    clientId: '5f8c6a2e-2b1d-4c39-9f3e-0d2a7b4c1e90',
    secret: 'fabrikam-client-secret',
    cloud: 'usgov',
  }),
};

/** A data folder as an agent before the SQLite store left it: vault.key and agent-connections.json. */
async function legacyFolder() {
  const dir = join(mkdtempSync(join(tmpdir(), 'cu-agent-migrate-')), 'agent');
  mkdirSync(dir, { mode: 0o700 });
  const document = await writeLegacyAgentFile(dir, await KeyFileVault.open(dir), connections);
  const bytes = readFileSync(join(dir, legacyFileName));
  return { dir, document, bytes };
}

const filesLike = (dir: string, part: string) => readdirSync(dir).filter((name) => name.includes(part));

describe('moving agent-connections.json into agent-connections.db', () => {
  it('keeps every connection, its id and its secret, renames the file and says so', async () => {
    const { dir, document, bytes } = await legacyFolder();
    const store = await open(dir, { now: () => at });

    const movedTo = join(dir, `${legacyFileName}.migrated-${stamp}`);
    expect(store.notices).toEqual([
      {
        code: 'store.migrated',
        message: expect.stringContaining('2 connection(s)'),
        hint: expect.stringContaining(movedTo),
        detail: { file: join(dir, legacyFileName), movedTo, connections: 2 },
      },
    ]);
    expect(existsSync(join(dir, legacyFileName))).toBe(false);
    expect(readFileSync(movedTo)).toEqual(bytes);

    expect(store.list()).toEqual([
      expect.objectContaining({
        domain: 'contoso.test',
        userPrincipalName: 'admin@contoso.test',
        hasSecret: true,
      }),
      expect.objectContaining({ domain: 'fabrikam.test', cloud: 'usgov', hasSecret: true }),
    ]);
    const contoso = await store.withSecret('contoso.test');
    expect(contoso).toMatchObject({ id: document.connections[0]?.id, secret: 'Contoso-Pa55!' });
    expect((await store.withSecret('fabrikam.test'))?.secret).toBe('fabrikam-client-secret');
    // New secrets go under the same (migrated) data key as the old ones.
    await store.put('tailspin.test', connections['contoso.test']);
    expect((await store.withSecret('contoso.test'))?.secret).toBe('Contoso-Pa55!');
  });

  it('migrates once: a reopen does not, and a file left by a crash before the rename is only renamed', async () => {
    const { dir } = await legacyFolder();
    const first = await open(dir, { now: () => at });
    const [movedTo] = filesLike(dir, '.migrated-');
    if (!movedTo) throw new Error('the file was not renamed');
    expect(await first.delete('contoso.test')).toBe(true);
    first.close();

    const second = await open(dir);
    expect(second.notices).toEqual([]);
    expect(second.count()).toBe(1);
    second.close();

    // As if the agent died after committing the migration and before renaming the file.
    copyFileSync(join(dir, movedTo), join(dir, legacyFileName));
    const third = await open(dir, { now: () => new Date('2026-05-07T00:00:00.000Z') });
    expect(third.notices).toEqual([
      expect.objectContaining({
        code: 'store.migrated',
        message: expect.stringContaining('already'),
        detail: expect.objectContaining({ connections: 0 }),
      }),
    ]);
    // The connection deleted after the migration stays deleted.
    expect(third.list().map((connection) => connection.domain)).toEqual(['fabrikam.test']);
    expect(existsSync(join(dir, legacyFileName))).toBe(false);
    expect(filesLike(dir, '.migrated-')).toHaveLength(2);
  });

  it('migrates once when two stores open the folder at the same moment', async () => {
    const { dir } = await legacyFolder();
    const stores = await Promise.all([open(dir), open(dir), open(dir)]);
    const notices = stores.flatMap((store) => store.notices.map((notice) => notice.code));
    expect(notices).toEqual(['store.migrated']);
    for (const store of stores) {
      expect(store.count()).toBe(2);
      expect((await store.withSecret('fabrikam.test'))?.secret).toBe('fabrikam-client-secret');
    }
    expect(filesLike(dir, '.migrated-')).toHaveLength(1);
  });

  it('seals the secrets again when the database already has another data key', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cu-agent-migrate-')), 'agent');
    const before = await open(dir);
    await before.put('tailspin.test', connections['contoso.test']);
    before.close();
    // An agent-connections.json that appears later (restored from a backup) has a data key of its own.
    await writeLegacyAgentFile(dir, await KeyFileVault.open(dir), connections);
    const store = await open(dir);
    expect(store.notices.map((notice) => notice.detail?.connections)).toEqual([2]);
    expect((await store.withSecret('tailspin.test'))?.secret).toBe('Contoso-Pa55!');
    expect((await store.withSecret('contoso.test'))?.secret).toBe('Contoso-Pa55!');
    expect((await store.withSecret('fabrikam.test'))?.secret).toBe('fabrikam-client-secret');
  });

  it('sets a damaged agent-connections.json aside, reports it, and starts empty', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cu-agent-migrate-')), 'agent');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, legacyFileName), '{"version":1,"connections":[{"domain":', { mode: 0o600 });
    const store = await open(dir, { now: () => at });
    const movedTo = join(dir, `${legacyFileName}.corrupt-${stamp}`);
    expect(store.notices).toEqual([
      expect.objectContaining({
        code: 'store.corrupt',
        message: expect.stringContaining('agent-connections.json was damaged'),
        detail: expect.objectContaining({ movedTo }),
      }),
    ]);
    expect(readFileSync(movedTo, 'utf8')).toBe('{"version":1,"connections":[{"domain":');
    expect(store.count()).toBe(0);
    expect(filesLike(dir, '.migrated-')).toEqual([]);
  });

  it('waits for the lock of agent-connections.json, and refuses to start while an older agent keeps it', async () => {
    const { dir } = await legacyFolder();
    const lock = await acquireFileLock(join(dir, `${legacyFileName}.lock`));
    await expect(open(dir, { legacyLockWaitMs: 200 })).rejects.toMatchObject({
      appError: { code: 'store.locked', message: expect.stringContaining('older Remote Agent') },
    });
    expect(existsSync(join(dir, legacyFileName))).toBe(true);

    // Let go while a store waits: it migrates.
    const waiting = open(dir, { legacyLockWaitMs: 5_000 });
    setTimeout(() => void lock.release(), 300);
    const store = await waiting;
    expect(store.notices.map((notice) => notice.code)).toEqual(['store.migrated']);
    expect(store.count()).toBe(2);
  });
});
