import { AppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { newAesKey } from '../shared/node/crypto/aes-gcm';
import type { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { type SealedDataKey, SealedDataKeySchema } from './agent-store-schema';
import type { AgentTables } from './agent-store-tables';

/**
 * The key that seals the agent's secrets, kept sealed by the key file in `meta.dataKey`. Created with the first
 * secret. Once stored it never changes (it is only ever inserted if absent), so it is opened once per process.
 */
export class AgentDataKey {
  private opened: Promise<Buffer> | null = null;

  constructor(
    private readonly tables: AgentTables,
    private readonly vault: KeyFileVault,
  ) {}

  /** The key, created and stored first if this store has none. */
  obtain(): Promise<Buffer> {
    if (!this.opened) {
      const loading = this.load();
      this.opened = loading;
      // A failure (a key file that does not fit) is not remembered: the next request tries again.
      loading.catch(() => {
        if (this.opened === loading) this.opened = null;
      });
    }
    return this.opened;
  }

  /** The stored key, or null when no secret was ever saved (a secret without a key is a damaged store). */
  async existing(): Promise<Buffer | null> {
    return this.opened || this.stored() ? this.obtain() : null;
  }

  /**
   * Stores `key` unless the store already has one, and returns the one it has afterwards. Two processes that
   * race to create it both end up with the first one written, so no secret is sealed under a key that was lost.
   */
  adopt(key: SealedDataKey): SealedDataKey {
    return parse(this.tables.write(() => this.tables.metaIfAbsent('dataKey', JSON.stringify(key))));
  }

  stored(): SealedDataKey | null {
    const value = this.tables.read(() => this.tables.meta('dataKey'));
    return value === null ? null : parse(value);
  }

  private async load(): Promise<Buffer> {
    const stored = this.stored();
    if (stored) return this.vault.open(stored.sealed);
    const fresh = newAesKey();
    const ours: SealedDataKey = { vault: 'keyFile', sealed: await this.vault.seal(fresh) };
    const winner = this.adopt(ours);
    return winner.sealed === ours.sealed ? fresh : this.vault.open(winner.sealed);
  }
}

function parse(value: string): SealedDataKey {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    json = undefined;
  }
  const checked = SealedDataKeySchema.safeParse(json);
  if (checked.success) return checked.data;
  throw new AppFailure({
    code: AppErrorCode.storeCorrupt,
    message: "The Remote Agent store's data key is damaged, so its secrets cannot be opened.",
    hint: 'Restore agent-connections.db from a backup, or delete the connections and put them again.',
    detail: { field: 'meta.dataKey' },
  });
}
