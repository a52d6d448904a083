import { z } from 'zod';
import { CertificateTrustSchema, TlsModeSchema } from '../connections/connection';
import {
  AccountNameSchema,
  ConnectionIdSchema,
  DnsNameSchema,
  DnsServerSchema,
  PortSchema,
} from '../connections/fields';
import { OperationIdSchema } from './directory-test';

export const DiscoverRequestSchema = z.strictObject({
  operationId: OperationIdSchema.optional(),
  domain: DnsNameSchema,
  /** Absent: the system's resolver. */
  dnsServer: DnsServerSchema.optional(),
  /** The site this computer belongs to: its DCs are listed first, and its site-specific SRV records are read. */
  site: z.string().trim().min(1).max(64).optional(),
  /** How to probe: LDAPS on 636 by default. */
  tls: TlsModeSchema.default('ldaps'),
  port: PortSchema.optional(),
  trust: CertificateTrustSchema.default({ pinnedFingerprints: [] }),
  /** With credentials, DCs are also read from the directory (site, global catalog, OS). */
  bindUser: AccountNameSchema.optional(),
  password: z
    .string()
    .max(64 * 1024)
    .optional(),
  connectionId: ConnectionIdSchema.optional(),
  /** Binding with a typed password over plaintext LDAP needs this switch; a stored password never goes in clear. */
  allowInsecure: z.boolean().default(false),
  timeoutMs: z.number().int().min(200).max(60_000).default(3_000),
});

export const DiscoveredControllerSchema = z.strictObject({
  hostName: z.string(),
  addresses: z.array(z.string()),
  port: z.number().int(),
  site: z.string().nullable(),
  globalCatalog: z.boolean().nullable(),
  operatingSystem: z.string().nullable(),
  /** Where it was found. */
  sources: z.array(z.enum(['dns', 'ldap'])),
  reachable: z.boolean(),
  latencyMs: z.number().nonnegative().nullable(),
  /** The certificate the DC presented to the probe; untrusted ones must be trusted before a test binds. */
  certificate: z.strictObject({ fingerprint: z.string(), trusted: z.boolean() }).nullable(),
  /** Why it was not reachable (an AppError code and message), null when it was. */
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
});

export const DiscoverResultSchema = z.strictObject({
  domain: z.string(),
  controllers: z.array(DiscoveredControllerSchema),
  /** Problems that did not stop discovery, e.g. the LDAP query failing while DNS worked. */
  warnings: z.array(z.strictObject({ code: z.string(), message: z.string() })),
  elapsedMs: z.number().nonnegative(),
});

export type DiscoverRequest = z.input<typeof DiscoverRequestSchema>;
export type ParsedDiscoverRequest = z.output<typeof DiscoverRequestSchema>;
export type DiscoveredController = z.output<typeof DiscoveredControllerSchema>;
export type DiscoverResult = z.output<typeof DiscoverResultSchema>;
