import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Connection } from '../shared/common/connections/connection';
import { ConnectionStore, storeFileName } from '../shared/node/connections/connection-store';
import { bindingDigest } from '../shared/node/connections/secret-binding';
import { newAesKey } from '../shared/node/crypto/aes-gcm';
import { SealedSecrets } from '../shared/node/storage/sealed-secrets';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';

/**
 * A realistic store of `count` connections (two thirds AD, one third Microsoft Online), each with a sealed secret
 * bound to its destination, as the app writes them; inserted in one transaction (saving 10,000 one by one
 * would only time the seeding).
 */
export async function seedStore(dir: string, count: number): Promise<void> {
  const vault = await KeyFileVault.open(dir);
  // Opening creates the schema at the current version.
  await (await ConnectionStore.open({ dir, vault })).close();
  const key = newAesKey();
  const sealer = new SealedSecrets(key);
  const at = '2026-11-26T08:00:00.000Z';
  const db = new DatabaseSync(join(dir, storeFileName));
  const insert = db.prepare('INSERT INTO connections (id, record, secret) VALUES (?, ?, ?)');
  const put = (record: Connection, field: string, value: string) => {
    const binding = bindingDigest(record);
    insert.run(
      record.id,
      JSON.stringify(record),
      JSON.stringify({ ...sealer.seal(record.id, field, value, binding), binding }),
    );
  };
  db.exec('BEGIN');
  db.prepare("INSERT INTO meta (name, value) VALUES ('dataKey', ?)").run(
    JSON.stringify({ vault: 'keyFile', sealed: await vault.seal(key) }),
  );
  for (let i = 0; i < count; i += 1) {
    const id = randomUUID();
    const domain = `domain${i}.example.com`;
    const common = { id, name: `Connection ${i}`, createdAt: at, updatedAt: at };
    const lastTest = i % 3 === 0 ? { lastTest: { ok: i % 2 === 0, at, summary: 'bench' } } : {};
    if (i % 3 === 2) {
      put(
        {
          ...common,
          ...lastTest,
          kind: 'microsoftOnline',
          tenantDomain: domain,
          authMode: 'password',
          userPrincipalName: `admin@${domain}`,
          cloud: 'global',
          remoteAgent: { host: 'localhost', port: 40002, useTls: false, allowInsecure: false },
        },
        'secret',
        `secret-${i}`,
      );
    } else {
      put(
        {
          ...common,
          ...lastTest,
          kind: 'activeDirectory',
          domain,
          targets: [
            { host: `dc1.${domain}`, port: 636, tls: 'ldaps' },
            { host: `dc2.${domain}`, port: 389, tls: 'starttls' },
          ],
          trust: { pinnedFingerprints: [] },
          bindUser: `svc-idm@${domain}`,
          allowInsecure: false,
        },
        'password',
        `password-${i}`,
      );
    }
  }
  db.exec('COMMIT');
  db.close();
}
