import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertPrivateFile } from '../shared/node/storage/private-folder';

export const apiKeyFileName = 'api-key';

/** Reads the agent's API key, creating it (32 random bytes, base64url, mode 0600) on first start or on rotation. */
export async function loadApiKey(
  dataDir: string,
  rotate: boolean,
): Promise<{ key: string; created: boolean }> {
  const path = join(dataDir, apiKeyFileName);
  if (!rotate) {
    const existing = await readApiKey(dataDir);
    if (existing) return { key: existing, created: false };
  }
  const key = randomBytes(32).toString('base64url');
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${key}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
  return { key, created: true };
}

/** The agent's API key as stored, or null while there is none (the agent has not started yet). */
export async function readApiKey(dataDir: string): Promise<string | null> {
  const path = join(dataDir, apiKeyFileName);
  // A key others can read is a key others can use: refused, not silently replaced (clients hold the old one).
  await assertPrivateFile(path);
  const existing = await readFile(path, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  });
  return existing?.trim() || null;
}

/** Constant-time comparison of "Bearer <key>" with the agent's key. */
export function bearerMatches(header: string | undefined, key: string): boolean {
  const presented = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const a = Buffer.from(presented);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}
