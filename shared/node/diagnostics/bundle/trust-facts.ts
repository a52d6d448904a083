import type { ConnectionView } from '../../../common/connections/connection';
import type { AppError } from '../../../common/errors/app-error';
import { isAppFailure } from '../../../common/errors/app-error';
import { agentOriginOf } from '../../connections/secret-binding';
import { readSettings } from '../../settings/settings-file';

export interface TrustInputs {
  /** Whether this call trusts the operating system's store (Settings, or the CLI's --no-system-trust). */
  systemStore: () => Promise<boolean>;
  userDataDir: string;
  connections: readonly ConnectionView[];
  /** The Remote Agent bindings with a remembered API key (scheme, host, port and a CA's hash). */
  agentKeyBindings: readonly string[];
}

const failureOf = (error: unknown): AppError | { code: 'internal'; message: string } =>
  isAppFailure(error) ? error.appError : { code: 'internal', message: 'Could not be read.' };

/**
 * What vouches for servers here, as switches and counts: whether the system store is trusted, which connections
 * and agents carry a CA of their own and how many certificates are pinned. Never the PEM or a fingerprint: the
 * bundle says where trust comes from, not what it is.
 */
export async function trustFacts(inputs: TrustInputs) {
  const systemStore = await inputs.systemStore().then(
    (trusted) => ({ trusted }),
    (error: unknown) => ({ error: failureOf(error) }),
  );
  const settings = await readSettings(inputs.userDataDir).then(
    (read) => ({ microsoftOnlineDefaultCa: read.microsoftOnline.caPem !== undefined }),
    (error: unknown) => ({ error: failureOf(error) }),
  );
  const connections = inputs.connections.map((connection) =>
    connection.kind === 'activeDirectory'
      ? {
          connectionId: connection.id,
          kind: connection.kind,
          domain: connection.domain,
          ownCa: connection.trust.caPem !== undefined,
          pinnedCertificates: connection.trust.pinnedFingerprints.length,
          plaintextAllowed: connection.allowInsecure,
        }
      : {
          connectionId: connection.id,
          kind: connection.kind,
          domain: connection.tenantDomain,
          ownCa: connection.caPem !== undefined,
          remoteAgent: {
            tls: connection.remoteAgent.useTls,
            plaintextAllowed: connection.remoteAgent.allowInsecure,
          },
        },
  );
  const agents = [...new Set(inputs.agentKeyBindings)].map((binding) => ({
    origin: agentOriginOf(binding),
    apiKeyRemembered: true,
    ownCa: binding.includes('#ca='),
  }));
  return { systemStore, settings, connections, agents };
}
