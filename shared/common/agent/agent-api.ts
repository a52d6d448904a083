import { z } from 'zod';
import { AuthModeSchema, CloudSchema } from '../connections/connection';
import { DnsNameSchema, HttpsUrlSchema, PemCertificatesSchema, TimestampSchema } from '../connections/fields';

// The Remote Agent's HTTP contract: request and response bodies, and the OpenAPI document generated from them.

/** PUT /api/connections/{domain}: a Microsoft Online connection as the agent keeps it. */
export const AgentConnectionPutSchema = z.strictObject({
  authMode: AuthModeSchema.exclude(['deviceCode', 'browser']),
  userPrincipalName: z.email().max(320).optional(),
  clientId: z.uuid().optional(),
  /** Password, client secret or PEM private key, by auth mode; sealed at rest, never returned. */
  secret: z
    .string()
    .min(1)
    .max(64 * 1024),
  certificatePem: PemCertificatesSchema.optional(),
  cloud: CloudSchema.default('global'),
  authorityHost: HttpsUrlSchema.optional(),
  graphHost: HttpsUrlSchema.optional(),
  caPem: PemCertificatesSchema.optional(),
  /**
   * The utility's revision of the connection this copy was made from (its updatedAt): the fleet view compares it
   * with the store's to find a stale copy. Absent in copies pushed by older utilities.
   */
  revision: TimestampSchema.optional(),
});

export const AgentConnectionSchema = AgentConnectionPutSchema.omit({ secret: true }).extend({
  domain: z.string(),
  hasSecret: z.boolean(),
  updatedAt: TimestampSchema,
});

export const AgentConnectionListSchema = z.strictObject({ connections: z.array(AgentConnectionSchema) });

export const AgentHealthSchema = z.strictObject({
  status: z.enum(['ok', 'shuttingDown']),
  version: z.string(),
  connections: z.number().int().nonnegative(),
});

/** /api/connections/{domain}: the connection's domain, compared in lower case. */
export const AgentDomainParamsSchema = z.strictObject({
  domain: DnsNameSchema.describe('The connection’s domain, e.g. contoso.com'),
});

/** POST /api/Connections/TestConnection: the domain as a bare JSON string; Swagger's example value is "string". */
export const TestConnectionBodySchema = z
  .string()
  .min(1)
  .max(253)
  .pipe(DnsNameSchema)
  .meta({ description: 'The domain name of the connection to test.', example: 'string' });

export const TestConnectionResponseSchema = z.strictObject({
  id: z.string().describe('The tenant id.'),
  domain: z.string(),
  tenantId: z.string(),
  organization: z.string(),
  domainVerified: z.boolean(),
  user: z.string(),
  roles: z.array(z.string()),
  globalAdministrator: z.boolean(),
  checkedAt: TimestampSchema,
  durationMs: z.number(),
});

export type AgentConnectionPut = z.output<typeof AgentConnectionPutSchema>;
export type AgentConnection = z.output<typeof AgentConnectionSchema>;
export type TestConnectionResponse = z.output<typeof TestConnectionResponseSchema>;
