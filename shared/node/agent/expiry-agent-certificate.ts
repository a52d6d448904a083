import type { CredentialExpiry } from '../../common/connections/expiry';
import type { ConnectionStoreProvider } from '../connections/connection-store-provider';
import { recordExpiries } from '../connections/expiry-recorder';
import { agentOriginFor } from '../connections/expiry-sources';
import type { AgentEndpoint } from './agent-client';
import { httpsOrigin, judgeAgentCertificate, presentedAgentCertificate } from './agent-tls';

/**
 * When the certificate of an https agent expires, from a handshake made right after a call to it succeeded: only
 * a certificate that call would have accepted (pinned, or chaining and naming the host) is taken. Null for plain
 * HTTP, or when the agent shows anything else now. Never throws.
 */
export async function agentCertificateExpiry(
  endpoint: AgentEndpoint,
  trust: { trustSystemStore: boolean; pinnedFingerprint: string | null },
): Promise<CredentialExpiry | null> {
  if (!endpoint.useTls) return null;
  const sources = {
    ...(endpoint.caPem ? { caPem: endpoint.caPem } : {}),
    ...(trust.trustSystemStore ? {} : { trustSystemStore: false }),
  };
  try {
    const presented = await presentedAgentCertificate(endpoint, sources, 5_000);
    if (
      judgeAgentCertificate(endpoint, presented, { ...sources, pinnedFingerprint: trust.pinnedFingerprint })
    )
      return null;
    const validTo = new Date(presented.certificate.validTo);
    if (Number.isNaN(validTo.getTime())) return null;
    return {
      what: 'agentCertificate',
      notAfter: validTo.toISOString(),
      source: httpsOrigin(endpoint),
      note: `SHA-256 ${presented.certificate.fingerprint}`,
      checkedAt: new Date().toISOString(),
    };
  } catch {
    return null;
  }
}

/**
 * Records an https agent's certificate expiry on the connections whose saved Remote Agent it is (`only`: on that
 * one connection). Best effort, like every expiry recorder.
 */
export async function recordAgentCertificate(
  stores: ConnectionStoreProvider,
  endpoint: AgentEndpoint,
  trustSystemStore: boolean,
  only?: string,
): Promise<void> {
  if (!endpoint.useTls) return;
  try {
    const origin = httpsOrigin(endpoint);
    const store = await stores.forReading();
    const ids = store
      .list()
      .connections.filter((connection) => (only ? connection.id === only : true))
      .filter((connection) => agentOriginFor(connection) === origin)
      .map((connection) => connection.id);
    if (!ids.length) return;
    const learned = await agentCertificateExpiry(endpoint, {
      trustSystemStore,
      pinnedFingerprint: await store.readAgentPin(origin),
    });
    if (!learned) return;
    for (const id of ids)
      await recordExpiries(stores, id, [learned], (connection) => agentOriginFor(connection) === origin);
  } catch {
    // Best effort: see above.
  }
}
