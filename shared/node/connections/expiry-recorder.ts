import type { Connection } from '../../common/connections/connection';
import type { CredentialExpiry } from '../../common/connections/expiry';
import type { ConnectionStoreProvider } from './connection-store-provider';

/**
 * Records what a test or handshake showed of a saved connection's expiries. Best effort: a store that cannot be
 * written now (busy, read-only, the connection deleted meanwhile) costs the panel one date, never the caller
 * its result.
 */
export async function recordExpiries(
  stores: ConnectionStoreProvider,
  connectionId: string,
  learned: readonly CredentialExpiry[],
  applies?: (connection: Connection) => boolean,
): Promise<void> {
  if (!learned.length) return;
  try {
    await (await stores.forWriting()).recordCredentials(connectionId, learned, applies);
  } catch {
    // See above: the date stays as it was.
  }
}
