import { z } from 'zod';
import { ConnectionSchema } from './connection';
import { ConnectionIdSchema } from './fields';

// A pattern rather than z.base64(), which decodes every value with atob: 30,000 of them on a large store's load.
const base64 = z
  .string()
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'not base64');

/** One secret sealed with AES-256-GCM; base64 fields. */
export const SealedValueSchema = z.strictObject({
  nonce: base64,
  ciphertext: base64,
  tag: base64,
});

/** A connection's one secret (AD: the password; Microsoft Online: password, client secret or private key). */
export const StoredSecretSchema = SealedValueSchema.extend({
  connectionId: ConnectionIdSchema,
  /**
   * SHA-256 (base64url) of the destination and trust the secret is bound to, also sealed into it. Absent in
   * stores written before secrets were bound; the writer re-seals those on open.
   */
  binding: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'not a binding digest')
    .optional(),
});

/**
 * connections.json, version 1. Records and their sealed secrets live in one file so that one atomic rename
 * saves both: a connection can never point at a secret that was not written.
 */
export const ConnectionStoreDocumentSchema = z.strictObject({
  connections: z.array(ConnectionSchema),
  /** The data key, sealed by the vault that created it (safeStorage in the app, a key file elsewhere). */
  dataKey: z.strictObject({ vault: z.enum(['safeStorage', 'keyFile']), sealed: base64 }).optional(),
  /** Remote Agent API keys by "host:port", sealed like the connections' secrets. */
  agentKeys: z.array(SealedValueSchema.extend({ endpoint: z.string().min(1).max(300) })).default([]),
  /** A flat list rather than a map keyed by id: zod checks 10,000 array items several times faster. */
  secrets: z.array(StoredSecretSchema).default([]),
});

export type ConnectionStoreDocument = z.output<typeof ConnectionStoreDocumentSchema>;
export type SealedValue = z.output<typeof SealedValueSchema>;
export type StoredSecret = z.output<typeof StoredSecretSchema>;
