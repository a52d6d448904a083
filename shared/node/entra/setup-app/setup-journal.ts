import { z } from 'zod';
import { CloudSchema } from '../../../common/connections/connection';
import type { ParsedSetupAppRequest } from '../../../common/entra/setup-app';
import type { ConnectionStore } from '../../connections/connection-store';
import { endpointsFor } from '../cloud-endpoints';

/**
 * What a setup has made so far, kept (sealed, in the connection store) from the moment the certificate exists
 * until the setup has finished: Retry, and a restart, read it to continue with the same application.
 */
export const SetupJournalSchema = z.strictObject({
  version: z.literal(1),
  domain: z.string(),
  cloud: CloudSchema,
  authorityHost: z.string().optional(),
  graphHost: z.string().optional(),
  displayName: z.string(),
  certificate: z.strictObject({ pem: z.string(), privateKeyPem: z.string() }),
  application: z
    .strictObject({ objectId: z.string(), appId: z.string(), keyId: z.string().optional() })
    .optional(),
  servicePrincipalId: z.string().optional(),
  /** Permission values (Organization.Read.All…) granted so far. */
  grantedPermissions: z.array(z.string()).default([]),
  connectionId: z.string().optional(),
  startedAt: z.string(),
});

export type SetupJournal = z.output<typeof SetupJournalSchema>;

export interface SetupJournalStore {
  read(domain: string): Promise<SetupJournal | null>;
  save(journal: SetupJournal): Promise<void>;
  clear(domain: string): Promise<void>;
}

/** The journal in the connection store, which seals it under the data key like any secret. */
export function storedJournals(store: ConnectionStore): SetupJournalStore {
  return {
    async read(domain) {
      const text = await store.readSetupJournal(domain);
      if (!text) return null;
      try {
        const parsed = SetupJournalSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    save: (journal) => store.saveSetupJournal(journal.domain, JSON.stringify(journal)),
    clear: (domain) => store.clearSetupJournal(domain),
  };
}

/** The endpoints a cloud and optional hosts resolve to, comparable; null when they no longer resolve at all. */
function endpointsKey(
  cloud: SetupJournal['cloud'],
  authorityHost?: string,
  graphHost?: string,
): string | null {
  try {
    const endpoints = endpointsFor(cloud, {
      ...(authorityHost ? { authorityHost } : {}),
      ...(graphHost ? { graphHost } : {}),
    });
    // new URL lower-cases the host; endpointsFor has already dropped a trailing slash.
    const normal = (url: string) => new URL(url).href.replace(/\/+$/, '');
    return JSON.stringify([
      normal(endpoints.authorityHost),
      normal(endpoints.graphHost),
      endpoints.graphScope,
    ]);
  } catch {
    return null;
  }
}

/**
 * Whether a journal belongs to the tenant the request names: the same endpoints once resolved (the emulator or a
 * private endpoint is another directory than Microsoft's under the same domain name), so that a host written
 * with a trailing slash, or the cloud's own host written out, is the same tenant as none.
 */
export function journalApplies(journal: SetupJournal, request: ParsedSetupAppRequest): boolean {
  const recorded = endpointsKey(journal.cloud, journal.authorityHost, journal.graphHost);
  return (
    recorded !== null && recorded === endpointsKey(request.cloud, request.authorityHost, request.graphHost)
  );
}
