import { z } from 'zod';
import { CloudSchema } from '../connections/connection';
import {
  ConnectionIdSchema,
  ConnectionNameSchema,
  DnsNameSchema,
  HttpsUrlSchema,
  PemCertificatesSchema,
  TimestampSchema,
} from '../connections/fields';
import { OperationIdSchema } from '../directory/directory-test';
import { TenantTestResultSchema } from './tenant-test';

// "Set up certificate sign-in for me": one administrator signs in, main makes a certificate, registers an app with
// it, grants it the Graph application permissions the tenant test needs, waits until Entra accepts it, saves a
// certificate connection and tests it. The private key never crosses IPC: it stays in main, sealed.

/** The progress list the window shows, in order: one progress event per step. */
export const setupAppSteps = [
  'Signing in as an administrator',
  'Creating the certificate',
  'Registering the application',
  'Creating its service principal',
  'Granting Microsoft Graph permissions',
  'Waiting for Microsoft Entra to make the application usable (this can take a minute)',
  'Saving the connection',
  'Testing the connection',
] as const;
export type SetupAppStep = (typeof setupAppSteps)[number];

export const SetupAppRequestSchema = z.strictObject({
  /** Progress events and Cancel (operation:cancel) refer to it. */
  operationId: OperationIdSchema,
  /** The tenant domain; an unfinished setup for it is resumed (Retry), never started twice. */
  domain: DnsNameSchema,
  /** How the administrator signs in: a person, with MFA and Conditional Access. */
  signIn: z.enum(['browser', 'deviceCode']).default('browser'),
  /** The administrator, as a login hint for the sign-in page. */
  userPrincipalName: z.email().max(320).optional(),
  /** The app registration's display name; default "Connection Utility – <host name>". */
  name: z.string().trim().min(1).max(120).optional(),
  /** The saved connection's name; default "<domain> (Microsoft 365)". */
  connectionName: ConnectionNameSchema.optional(),
  /** How long the new certificate is valid. */
  years: z.number().int().min(1).max(2).default(1),
  cloud: CloudSchema.default('global'),
  authorityHost: HttpsUrlSchema.optional(),
  graphHost: HttpsUrlSchema.optional(),
  caPem: PemCertificatesSchema.optional(),
  /** Each call's time limit, and how long the administrator has to finish signing in. */
  timeoutMs: z.number().int().min(1000).max(300_000).default(120_000),
  /** How long to wait for Entra to accept the new application before giving up (Retry resumes). */
  propagationTimeoutMs: z.number().int().min(5_000).max(900_000).default(300_000),
  /**
   * Forget an unfinished setup of this domain (its certificate and private key) and start anew. An application it
   * had registered stays in the tenant, unused: delete it in the Entra admin center. Without it, an unfinished
   * setup for other endpoints is refused (entra.setupPending) rather than overwritten.
   */
  discardPending: z.boolean().default(false),
});

export const SetupAppStepReportSchema = z.strictObject({
  step: z.string(),
  ms: z.number().nonnegative(),
  /** True when an earlier attempt (before a Retry) had done it: checked, not repeated. */
  alreadyDone: z.boolean(),
});

export const SetupAppResultSchema = z.strictObject({
  /** The application (client) id, and the application object's id. */
  appId: z.string(),
  objectId: z.string(),
  servicePrincipalId: z.string(),
  displayName: z.string(),
  /** SHA-1 of the certificate, upper-case hex, as the Entra admin center shows it. */
  certificateThumbprint: z.string(),
  notAfter: TimestampSchema,
  /** The Microsoft Graph application permissions granted, with admin consent. */
  permissions: z.array(z.string()),
  connectionId: ConnectionIdSchema,
  /** Whether this run continued an earlier one that had stopped. */
  resumed: z.boolean(),
  test: TenantTestResultSchema,
  steps: z.array(SetupAppStepReportSchema),
});

export type SetupAppRequest = z.input<typeof SetupAppRequestSchema>;
export type ParsedSetupAppRequest = z.output<typeof SetupAppRequestSchema>;
export type SetupAppResult = z.output<typeof SetupAppResultSchema>;
export type SetupAppStepReport = z.output<typeof SetupAppStepReportSchema>;
