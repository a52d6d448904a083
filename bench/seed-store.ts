import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Connection } from '../shared/common/connections/connection';
import {
  type ConnectionStoreDocument,
  ConnectionStoreDocumentSchema,
} from '../shared/common/connections/store-document';
import { storeFileName } from '../shared/node/connections/connection-store';
import { bindingDigest } from '../shared/node/connections/secret-binding';
import { newAesKey } from '../shared/node/crypto/aes-gcm';
import { AtomicJsonFile } from '../shared/node/storage/atomic-json-file';
import { SealedSecrets } from '../shared/node/storage/sealed-secrets';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';

/** A realistic store of `count` connections (two thirds AD, one third Microsoft Online), each with a sealed secret. */
export async function seedStore(dir: string, count: number): Promise<void> {
  const vault = await KeyFileVault.open(dir);
  const key = newAesKey();
  const sealer = new SealedSecrets(key);
  const at = '2026-11-26T08:00:00.000Z';
  const connections: Connection[] = [];
  // Sealed as the app seals them now: bound to each record's destination (the view checks that on load).
  const bound = (record: Connection, field: string, value: string) => {
    const binding = bindingDigest(record);
    return { connectionId: record.id, ...sealer.seal(record.id, field, value, binding), binding };
  };
  const secrets: ConnectionStoreDocument['secrets'] = [];
  for (let i = 0; i < count; i += 1) {
    const id = randomUUID();
    const domain = `domain${i}.example.com`;
    const common = { id, name: `Connection ${i}`, createdAt: at, updatedAt: at };
    const lastTest = i % 3 === 0 ? { lastTest: { ok: i % 2 === 0, at, summary: 'bench' } } : {};
    if (i % 3 === 2) {
      connections.push({
        ...common,
        ...lastTest,
        kind: 'microsoftOnline',
        tenantDomain: domain,
        authMode: 'password',
        userPrincipalName: `admin@${domain}`,
        cloud: 'global',
        remoteAgent: { host: 'localhost', port: 40002, useTls: false },
      });
      secrets.push(bound(connections.at(-1) as Connection, 'secret', `secret-${i}`));
    } else {
      connections.push({
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
      });
      secrets.push(bound(connections.at(-1) as Connection, 'password', `password-${i}`));
    }
  }
  const file = await AtomicJsonFile.openForWriting({
    path: join(dir, storeFileName),
    version: 1,
    schema: ConnectionStoreDocumentSchema,
    empty: () => ({ connections: [], secrets: [], agentKeys: [] }),
  });
  await file.write({
    connections,
    secrets,
    agentKeys: [],
    dataKey: { vault: 'keyFile', sealed: await vault.seal(key) },
  });
  await file.close();
}
