import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` so that a reader sees the old or the new content, never a mix: write a temp file in the same
 * folder, fsync it, rename it over the old one, fsync the folder. Throws the raw fs error; callers name it.
 */
export async function writeFileAtomically(
  path: string,
  body: string | readonly Uint8Array[],
  mode = 0o600,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      if (typeof body === 'string') await handle.writeFile(body, 'utf8');
      else await handle.writev(body as Uint8Array[]);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    await syncFolder(dirname(path));
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

async function syncFolder(folder: string): Promise<void> {
  // Makes the rename itself durable. Windows cannot open a directory for fsync; NTFS journals the rename.
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
