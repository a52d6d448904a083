import { z } from 'zod';
import { CertificateTrustSchema, DirectoryTargetSchema } from '../connections/connection';
import {
  AccountNameSchema,
  ConnectionIdSchema,
  Sha256FingerprintSchema,
  TimestampSchema,
} from '../connections/fields';

export const OperationIdSchema = z.string().min(1).max(100);

/**
 * Why a certificate was accepted, most specific first: its fingerprint is pinned on the connection, it chains to
 * the connection's own CA, to Node's bundled public roots, or only to the operating system's store (which
 * Settings can turn off).
 */
export const VouchedBySchema = z.enum(['pinned', 'connectionCa', 'bundled', 'system']);

/** What the admin sees before trusting a certificate, as in a browser's certificate viewer. */
export const CertificateInfoSchema = z.strictObject({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint: z.string(),
  subjectAltNames: z.string().nullable(),
  /** Null when nothing vouched for it (an untrusted certificate, or a chain no single source explains). */
  vouchedBy: VouchedBySchema.nullable(),
});

export const AdTestRequestSchema = z.strictObject({
  /** Progress events and cancellation refer to this id. */
  operationId: OperationIdSchema.optional(),
  target: DirectoryTargetSchema,
  trust: CertificateTrustSchema.default({ pinnedFingerprints: [] }),
  bindUser: AccountNameSchema,
  /** Absent: use the password stored with connectionId. */
  password: z
    .string()
    .max(64 * 1024)
    .optional(),
  connectionId: ConnectionIdSchema.optional(),
  allowInsecure: z.boolean().default(false),
  timeoutMs: z.number().int().min(500).max(120_000).default(10_000),
});

export const RootDseSchema = z.strictObject({
  defaultNamingContext: z.string(),
  configurationNamingContext: z.string().nullable(),
  dnsHostName: z.string().nullable(),
  serverName: z.string().nullable(),
  /** 0 = 2000 … 7 = 2016 and later; Samba 4.17 reports 4 (2008 R2). */
  domainControllerFunctionality: z.number().int().nullable(),
  /** The site of the DC that answered, read from serverName. */
  site: z.string().nullable(),
});

export const AdTestResultSchema = z.strictObject({
  host: z.string(),
  port: z.number().int(),
  tls: z.enum(['ldaps', 'starttls', 'none']),
  boundAs: z.string(),
  elapsedMs: z.number().nonnegative(),
  checkedAt: TimestampSchema,
  /** Null only for plaintext connections. */
  certificate: CertificateInfoSchema.nullable(),
  rootDse: RootDseSchema,
});

export const AdTrustCertificateRequestSchema = z.strictObject({
  connectionId: ConnectionIdSchema,
  fingerprint: Sha256FingerprintSchema,
});

export type AdTestRequest = z.input<typeof AdTestRequestSchema>;
export type ParsedAdTestRequest = z.output<typeof AdTestRequestSchema>;
export type AdTestResult = z.output<typeof AdTestResultSchema>;
export type CertificateInfo = z.output<typeof CertificateInfoSchema>;
export type VouchedBy = z.output<typeof VouchedBySchema>;
export type RootDse = z.output<typeof RootDseSchema>;
