import { z } from 'zod';
import { CredentialExpirySchema } from './expiry';
import {
  AccountNameSchema,
  ConnectionIdSchema,
  ConnectionNameSchema,
  DnsNameSchema,
  DnsServerSchema,
  HostSchema,
  HttpsUrlSchema,
  PemCertificatesSchema,
  PortSchema,
  Sha256FingerprintSchema,
  TimestampSchema,
} from './fields';

// The stored record of a connection. No schema in this file can hold a secret: passwords, client secrets and
// private keys travel only in save requests (save-request.ts) and rest sealed beside the record.

export const LastTestSchema = z.strictObject({
  ok: z.boolean(),
  at: TimestampSchema,
  /** The AppError code when the test failed. */
  code: z.string().optional(),
  summary: z.string().max(500),
});

/** `none` is plaintext LDAP: refused by AD for simple binds, allowed only with allowInsecure (marked red in the UI). */
export const TlsModeSchema = z.enum(['ldaps', 'starttls', 'none']);

export const DirectoryTargetSchema = z.strictObject({
  host: HostSchema,
  port: PortSchema,
  tls: TlsModeSchema,
});

export const CertificateTrustSchema = z.strictObject({
  /** Extra roots for this connection only, PEM. */
  caPem: PemCertificatesSchema.optional(),
  /** Certificates the admin trusted explicitly ("Trust this certificate"). */
  pinnedFingerprints: z.array(Sha256FingerprintSchema).max(50).default([]),
});

const common = {
  id: ConnectionIdSchema,
  name: ConnectionNameSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  lastTest: LastTestSchema.optional(),
  /** When its certificate, secret or password and the certificates it meets expire, as main last learned it. */
  expiries: z.array(CredentialExpirySchema).max(50).optional(),
};

export const ActiveDirectoryFieldsSchema = z.strictObject({
  kind: z.literal('activeDirectory'),
  domain: DnsNameSchema,
  targets: z.array(DirectoryTargetSchema).min(1, 'add at least one domain controller').max(100),
  trust: CertificateTrustSchema.default({ pinnedFingerprints: [] }),
  bindUser: AccountNameSchema,
  /** The domain's DNS server when this computer's resolver does not know the domain (discovery uses it). */
  dnsServer: DnsServerSchema.optional(),
  /** The explicit switch behind which a target may use plaintext LDAP. */
  allowInsecure: z.boolean().default(false),
});

/** Plaintext targets only behind the explicit switch. */
export function checkInsecure(
  fields: { targets: readonly { tls: z.infer<typeof TlsModeSchema> }[]; allowInsecure: boolean },
  context: z.RefinementCtx,
): void {
  fields.targets.forEach((target, index) => {
    if (target.tls === 'none' && !fields.allowInsecure) {
      context.addIssue({
        code: 'custom',
        path: ['targets', index, 'tls'],
        message: 'plaintext LDAP needs "Allow insecure connection"; enable SSL instead',
      });
    }
  });
}

/** browser: authorization code with PKCE in the system browser (MFA, Conditional Access); deviceCode alike, typed. */
export const AuthModeSchema = z.enum(['password', 'clientSecret', 'certificate', 'deviceCode', 'browser']);

/** The modes a person signs in with interactively: nothing is stored, and the Remote Agent cannot use them. */
export const interactiveAuthModes = ['deviceCode', 'browser'] as const;
export const CloudSchema = z.enum(['global', 'usgov', 'china']);

export const RemoteAgentTargetSchema = z.strictObject({
  host: HostSchema.default('localhost'),
  port: PortSchema.default(40002),
  useTls: z.boolean().default(false),
  /** Plain HTTP to an agent beyond loopback, chosen by the admin (shown red, like AD's). */
  allowInsecure: z.boolean().default(false),
});

export const defaultRemoteAgent = { host: 'localhost', port: 40002, useTls: false, allowInsecure: false };

export const LocalDomainControllerSchema = z.strictObject({
  adConnectionId: ConnectionIdSchema,
  host: HostSchema,
});

export const MicrosoftOnlineFieldsSchema = z.strictObject({
  kind: z.literal('microsoftOnline'),
  tenantDomain: DnsNameSchema,
  authMode: AuthModeSchema,
  /** The connection user's UPN (password, deviceCode) … */
  userPrincipalName: z.email().max(320).optional(),
  /** … or the application's client id (clientSecret, certificate, and optionally deviceCode). */
  clientId: z.uuid().optional(),
  /** Public part of the app's certificate (certificate mode); the private key is a sealed secret. */
  certificatePem: PemCertificatesSchema.optional(),
  cloud: CloudSchema.default('global'),
  authorityHost: HttpsUrlSchema.optional(),
  graphHost: HttpsUrlSchema.optional(),
  /** Extra roots for a private proxy or the emulator, PEM. */
  caPem: PemCertificatesSchema.optional(),
  localDomainController: LocalDomainControllerSchema.optional(),
  remoteAgent: RemoteAgentTargetSchema.default(defaultRemoteAgent),
});

/** Which principal field each auth mode needs: checked on every parse so a record is always usable. */
export function checkPrincipal(
  fields: {
    authMode: z.infer<typeof AuthModeSchema>;
    userPrincipalName?: string;
    clientId?: string;
    certificatePem?: string;
  },
  context: z.RefinementCtx,
): void {
  const needsUser =
    fields.authMode === 'password' || fields.authMode === 'deviceCode' || fields.authMode === 'browser';
  const needsClient = fields.authMode === 'clientSecret' || fields.authMode === 'certificate';
  if (needsUser && !fields.userPrincipalName) {
    context.addIssue({
      code: 'custom',
      path: ['userPrincipalName'],
      message: 'enter the connection user’s e-mail',
    });
  }
  if (needsClient && !fields.clientId) {
    context.addIssue({ code: 'custom', path: ['clientId'], message: 'enter the application (client) id' });
  }
  if (fields.authMode === 'certificate' && !fields.certificatePem) {
    context.addIssue({ code: 'custom', path: ['certificatePem'], message: 'choose the certificate (PEM)' });
  }
}

export const ActiveDirectoryConnectionSchema =
  ActiveDirectoryFieldsSchema.extend(common).superRefine(checkInsecure);
/**
 * The application object a certificate connection signs in as, and the keyId of its certificate there, as main
 * recorded them when it registered or renewed that certificate: Renew certificate needs both, and an app without
 * Application.Read.All cannot look them up. Not secret, but main's own record: no save request carries it (so it
 * is not in MicrosoftOnlineFieldsSchema), and it is not part of the secret's binding.
 */
export const ConnectionApplicationSchema = z.strictObject({
  objectId: z.string().min(1).max(100),
  keyId: z.string().min(1).max(100).optional(),
});

const microsoftOnlineRecord = { application: ConnectionApplicationSchema.optional() };

export const MicrosoftOnlineConnectionSchema = MicrosoftOnlineFieldsSchema.extend(common)
  .extend(microsoftOnlineRecord)
  .superRefine(checkPrincipal);

/** The record as stored and exported. */
export const ConnectionSchema = z.discriminatedUnion('kind', [
  ActiveDirectoryConnectionSchema,
  MicrosoftOnlineConnectionSchema,
]);

/** What the window sees: the record plus whether a secret is stored, never the secret. */
export const ConnectionViewSchema = z.discriminatedUnion('kind', [
  ActiveDirectoryFieldsSchema.extend(common).extend({ hasPassword: z.boolean() }),
  MicrosoftOnlineFieldsSchema.extend(common).extend(microsoftOnlineRecord).extend({ hasSecret: z.boolean() }),
]);

export type Connection = z.output<typeof ConnectionSchema>;
export type ConnectionView = z.output<typeof ConnectionViewSchema>;
export type ActiveDirectoryConnection = z.output<typeof ActiveDirectoryConnectionSchema>;
export type MicrosoftOnlineConnection = z.output<typeof MicrosoftOnlineConnectionSchema>;
export type ConnectionKind = Connection['kind'];
export type DirectoryTarget = z.output<typeof DirectoryTargetSchema>;
export type ConnectionApplication = z.output<typeof ConnectionApplicationSchema>;
export type RemoteAgentTarget = z.output<typeof RemoteAgentTargetSchema>;
export type CertificateTrust = z.output<typeof CertificateTrustSchema>;
