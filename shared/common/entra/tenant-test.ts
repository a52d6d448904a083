import { z } from 'zod';
import { AuthModeSchema, CloudSchema } from '../connections/connection';
import {
  ConnectionIdSchema,
  DnsNameSchema,
  HttpsUrlSchema,
  PemCertificatesSchema,
  TimestampSchema,
} from '../connections/fields';
import { OperationIdSchema } from '../directory/directory-test';

export const globalAdministratorRoleTemplateId = '62e90394-69f5-4237-9190-012177145e10';

export const EntraTestRequestSchema = z.strictObject({
  operationId: OperationIdSchema.optional(),
  domain: DnsNameSchema,
  authMode: AuthModeSchema,
  userPrincipalName: z.email().max(320).optional(),
  clientId: z.uuid().optional(),
  /** The user's password, the client secret or the PEM private key, by auth mode. Absent: use the stored one. */
  secret: z
    .string()
    .max(64 * 1024)
    .optional(),
  certificatePem: PemCertificatesSchema.optional(),
  cloud: CloudSchema.default('global'),
  authorityHost: HttpsUrlSchema.optional(),
  graphHost: HttpsUrlSchema.optional(),
  caPem: PemCertificatesSchema.optional(),
  connectionId: ConnectionIdSchema.optional(),
  timeoutMs: z.number().int().min(1000).max(300_000).default(60_000),
});

export const TenantTestResultSchema = z.strictObject({
  /** The tenant id, as the Remote Agent's TestConnection names it. */
  id: z.string(),
  tenantId: z.string(),
  organization: z.string(),
  domain: z.string(),
  domainVerified: z.boolean(),
  verifiedDomains: z.array(z.string()),
  principal: z.strictObject({ kind: z.enum(['user', 'app']), name: z.string() }),
  user: z.string(),
  roles: z.array(z.strictObject({ name: z.string(), templateId: z.string().nullable() })),
  globalAdministrator: z.boolean(),
  licences: z.array(
    z.strictObject({ sku: z.string(), enabled: z.number(), consumed: z.number(), available: z.number() }),
  ),
  steps: z.array(z.strictObject({ step: z.string(), ms: z.number() })),
  /** When the role is missing, what to do about it. */
  warnings: z.array(z.string()),
  checkedAt: TimestampSchema,
  durationMs: z.number(),
});

export type EntraTestRequest = z.input<typeof EntraTestRequestSchema>;
export type ParsedAadTestRequest = z.output<typeof EntraTestRequestSchema>;
export type TenantTestResult = z.output<typeof TenantTestResultSchema>;

export const EntraListDomainsResultSchema = z.strictObject({
  tenantId: z.string(),
  domains: z.array(z.strictObject({ name: z.string(), isDefault: z.boolean(), isInitial: z.boolean() })),
});
