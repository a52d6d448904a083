import { z } from 'zod';
import { OperationIdSchema } from '../directory/directory-test';
import { ConnectionIdSchema, TimestampSchema } from './fields';

// Renew certificate: a certificate connection rolls its own app certificate in Entra (addKey / removeKey).

/** Renew's steps, in order: one progress event each (then "Done"), so the window can list them pending at once. */
export const renewSteps = [
  'Signing in with the current certificate',
  'Finding the application and its current certificate',
  'Making a new key pair and certificate',
  'Registering the new certificate (addKey)',
  'Signing in with the new certificate',
  'Saving the connection with the new certificate',
  'Updating the Remote Agent',
  'Removing the old certificate (removeKey)',
] as const;
export type RenewStepName = (typeof renewSteps)[number];

export const RenewCertificateRequestSchema = z.strictObject({
  connectionId: ConnectionIdSchema,
  /** Progress events and cancellation refer to this id. */
  operationId: OperationIdSchema.optional(),
  /**
   * The application's object id (not its client id), for an app that may not read its own application object
   * (Application.Read.All). Without it the app looks itself up, or uses the one main recorded when it set up or
   * renewed the certificate; with it, no read permission and nothing recorded, the old certificate cannot be
   * found to be removed and stays registered (the report says so).
   */
  objectId: z.uuid().optional(),
  /** How long the new certificate is valid. */
  validityDays: z.number().int().min(30).max(730).default(365),
  timeoutMs: z.number().int().min(1000).max(300_000).default(60_000),
});

export const RenewStepSchema = z.strictObject({
  step: z.string(),
  ok: z.boolean(),
  ms: z.number().nonnegative(),
  /** What the step found or why it did not happen. */
  detail: z.string().max(1000).optional(),
});

export const RenewCertificateReportSchema = z.strictObject({
  connectionId: ConnectionIdSchema,
  /** The application (client) id and its object id. */
  appId: z.string(),
  objectId: z.string(),
  /** SHA-1 thumbprints, upper-case hex, as the Entra admin center shows them. */
  oldThumbprint: z.string(),
  newThumbprint: z.string(),
  /** When the new certificate expires. */
  notAfter: TimestampSchema,
  /** The Remote Agents (origins) that now hold the new certificate. */
  agentsUpdated: z.array(z.string()),
  /** Agents that could not be given it, and why: the old certificate then stays registered for them. */
  agentsNotUpdated: z.array(z.strictObject({ url: z.string(), reason: z.string().max(1000) })),
  /** Whether the old certificate was removed from the application. */
  removedOld: z.boolean(),
  /** Why it was not, and what to do. */
  oldKeyNote: z.string().max(1000).optional(),
  steps: z.array(RenewStepSchema),
});

export type RenewCertificateRequest = z.input<typeof RenewCertificateRequestSchema>;
export type ParsedRenewCertificateRequest = z.output<typeof RenewCertificateRequestSchema>;
export type RenewCertificateReport = z.output<typeof RenewCertificateReportSchema>;
export type RenewStep = z.output<typeof RenewStepSchema>;
