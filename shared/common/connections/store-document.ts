import { z } from 'zod';
import { ConnectionSchema } from './connection';

/** One secret sealed with AES-256-GCM; base64 fields. */
export const SealedValueSchema = z.strictObject({
  nonce: z.base64(),
  ciphertext: z.base64(),
  tag: z.base64(),
});

/**
 * connections.json, version 1. Records and their sealed secrets live in one file so that one atomic rename
 * saves both: a connection can never point at a secret that was not written.
 */
export const ConnectionStoreDocumentSchema = z.strictObject({
  connections: z.array(ConnectionSchema),
  /** The data key, sealed by the vault that created it (safeStorage in the app, a key file elsewhere). */
  dataKey: z.strictObject({ vault: z.enum(['safeStorage', 'keyFile']), sealed: z.base64() }).optional(),
  /** connection id → secret name → sealed value. */
  secrets: z.record(z.string(), z.record(z.string(), SealedValueSchema)).default({}),
});

export type ConnectionStoreDocument = z.output<typeof ConnectionStoreDocumentSchema>;
export type SealedValue = z.output<typeof SealedValueSchema>;
