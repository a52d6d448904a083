import { z } from 'zod';
import { CloudSchema } from '../connections/connection';
import { HttpsUrlSchema, PemCertificatesSchema } from '../connections/fields';
import { AppErrorSchema } from '../errors/app-error';

/** Welcome's "the host can reach the Microsoft 365 endpoints": DNS and a verified TLS handshake, per endpoint. */
export const EndpointCheckRequestSchema = z.strictObject({
  cloud: CloudSchema.default('global'),
  authorityHost: HttpsUrlSchema.optional(),
  graphHost: HttpsUrlSchema.optional(),
  caPem: PemCertificatesSchema.optional(),
  timeoutMs: z.number().int().min(500).max(60_000).default(8000),
});

export const EndpointCheckResultSchema = z.strictObject({
  endpoints: z.array(
    z.strictObject({
      name: z.enum(['Entra sign-in', 'Microsoft Graph']),
      url: z.string(),
      ok: z.boolean(),
      /** Through HTTPS_PROXY, when one applies. */
      viaProxy: z.boolean(),
      ms: z.number(),
      error: AppErrorSchema.optional(),
    }),
  ),
});

export type EndpointCheckResult = z.output<typeof EndpointCheckResultSchema>;
