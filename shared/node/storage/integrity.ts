import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * A writer's attestation that it validated the document it wrote: HMAC-SHA256 over the document's text, keyed
 * from the document's own data key. Only a process that can unseal that key (the one that wrote it) can make a
 * matching tag, so a read that verifies it may skip re-validating every record; any other change — by hand, by
 * another program, by an older or newer version (the context names the schema version) — fails the check and
 * the document is validated in full.
 */
export function integrityTag(
  dataKey: Buffer,
  context: string,
  body: readonly (string | Uint8Array)[],
): string {
  const key = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'connection-utility/integrity', 32));
  const hmac = createHmac('sha256', key).update(context).update('\n');
  for (const part of body) hmac.update(part);
  return hmac.digest('hex');
}

export function sameTag(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}
