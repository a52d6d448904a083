import { z } from 'zod';
import { OperationIdSchema } from '../directory/directory-test';
import {
  ActiveDirectoryFieldsSchema,
  checkInsecure,
  checkPrincipal,
  MicrosoftOnlineFieldsSchema,
} from './connection';
import { ConnectionIdSchema, ConnectionNameSchema } from './fields';

/**
 * A secret travels into main only inside a save request and is never sent back.
 * Omitted = keep what is stored; empty string = remove it; anything else = replace it.
 */
const SecretInputSchema = z.string().max(64 * 1024, 'too long for a password, secret or private key');

const saveCommon = {
  /** Absent: create a new connection. */
  id: ConnectionIdSchema.optional(),
  name: ConnectionNameSchema,
  /** The wizard's test of this connection (its operation id): main records that outcome as the last test. */
  testedBy: OperationIdSchema.optional(),
};

export const SaveActiveDirectoryRequestSchema = ActiveDirectoryFieldsSchema.extend({
  ...saveCommon,
  /** The service account's password. */
  password: SecretInputSchema.optional(),
}).superRefine(checkInsecure);

export const SaveMicrosoftOnlineRequestSchema = MicrosoftOnlineFieldsSchema.extend({
  ...saveCommon,
  /** The user's password (password mode), the client secret (clientSecret) or the PEM private key (certificate). */
  secret: SecretInputSchema.optional(),
}).superRefine(checkPrincipal);

export const ConnectionSaveRequestSchema = z.discriminatedUnion('kind', [
  SaveActiveDirectoryRequestSchema,
  SaveMicrosoftOnlineRequestSchema,
]);

export type ConnectionSaveRequest = z.input<typeof ConnectionSaveRequestSchema>;
export type ParsedConnectionSaveRequest = z.output<typeof ConnectionSaveRequestSchema>;

/** The names under which each kind's secret is sealed. */
export const secretNameOf = { activeDirectory: 'password', microsoftOnline: 'secret' } as const;
