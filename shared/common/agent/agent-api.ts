import { z } from 'zod';
import { AuthModeSchema, CloudSchema } from '../connections/connection';
import { DnsNameSchema, HttpsUrlSchema, PemCertificatesSchema, TimestampSchema } from '../connections/fields';

// The Remote Agent's HTTP contract: request and response bodies, and the OpenAPI document generated from them.

/** PUT /api/connections/{domain}: a Microsoft Online connection as the agent keeps it. */
export const AgentConnectionPutSchema = z.strictObject({
  authMode: AuthModeSchema.exclude(['deviceCode', 'browser']).describe(
    'How the agent signs in: password (with userPrincipalName), clientSecret or certificate (with clientId).',
  ),
  userPrincipalName: z.email().max(320).optional().describe('The account that signs in, for password.'),
  clientId: z
    .uuid()
    .optional()
    .describe('The application (client) id of the app registration, for clientSecret and certificate.'),
  secret: z
    .string()
    .min(1)
    .max(64 * 1024)
    .describe('The password, client secret or PEM private key, by authMode; sealed at rest, never returned.'),
  certificatePem: PemCertificatesSchema.optional().describe(
    'The certificate of the private key, for certificate.',
  ),
  cloud: CloudSchema.default('global').describe('The Microsoft cloud the tenant lives in.'),
  authorityHost: HttpsUrlSchema.optional().describe('Another sign-in host than the cloud’s.'),
  graphHost: HttpsUrlSchema.optional().describe('Another Microsoft Graph host than the cloud’s.'),
  caPem: PemCertificatesSchema.optional().describe(
    'CA certificates to trust for the sign-in and Graph hosts, besides the usual roots.',
  ),
  /**
   * The utility's revision of the connection this copy was made from (its updatedAt): the fleet view compares it
   * with the store's to find a stale copy. Absent in copies pushed by older utilities.
   */
  revision: TimestampSchema.optional().describe(
    'The revision (updatedAt) of the utility’s connection this copy was made from; absent from older utilities.',
  ),
});

export const AgentConnectionSchema = AgentConnectionPutSchema.omit({ secret: true }).extend({
  domain: z.string().describe('The domain, in lower case.'),
  hasSecret: z.boolean().describe('Whether a secret is stored; it is never returned.'),
  updatedAt: TimestampSchema.describe('When the agent stored this connection.'),
});

export const AgentConnectionListSchema = z.strictObject({ connections: z.array(AgentConnectionSchema) });

export const AgentHealthSchema = z.strictObject({
  status: z.enum(['ok', 'shuttingDown']).describe('shuttingDown while the agent stops.'),
  version: z.string().describe('The agent’s version.'),
  connections: z.number().int().nonnegative().describe('How many connections the agent keeps.'),
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
  domain: z.string().describe('The domain tested.'),
  tenantId: z.string().describe('The tenant id.'),
  organization: z.string().describe('The tenant’s organization name.'),
  domainVerified: z.boolean().describe('Whether the tenant has verified the domain.'),
  user: z.string().describe('Who signed in: the user principal name, or the app.'),
  roles: z.array(z.string()).describe('The directory roles of who signed in (or of the connection’s user).'),
  globalAdministrator: z.boolean().describe('Whether those roles include Global Administrator.'),
  checkedAt: TimestampSchema.describe('When the test ran.'),
  durationMs: z.number().describe('How long the test took, in milliseconds.'),
});

export type AgentConnectionPut = z.output<typeof AgentConnectionPutSchema>;
export type AgentConnection = z.output<typeof AgentConnectionSchema>;
export type TestConnectionResponse = z.output<typeof TestConnectionResponseSchema>;
