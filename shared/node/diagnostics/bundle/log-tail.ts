import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { redact } from '../../logs/redact';

/** The app's log: `logs/main.<n>.log` in the data folder (electron/main.ts), the highest n the newest. */
export const appLogName = 'main';
export const logTailBytes = 1024 * 1024;

export interface LogTail {
  /** JSON lines, oldest first, each redacted again. */
  text: string;
  /** The files it came from, oldest first. */
  files: string[];
  /** Lines left out because they were not a JSON object (written by something else, or damaged). */
  linesLeftOut: number;
}

const numberOf = (file: string) => Number(file.slice(appLogName.length + 1, -'.log'.length));

async function logFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names
      .filter((name) => new RegExp(`^${appLogName}\\.\\d+\\.log$`).test(name))
      .sort((a, b) => numberOf(a) - numberOf(b));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The last `bytes` of a file, and whether that is all of it. */
async function tailOf(path: string, bytes: number): Promise<{ data: Buffer; whole: boolean }> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const length = Math.min(size, bytes);
    const data = Buffer.alloc(length);
    const { bytesRead } = await handle.read(data, 0, length, size - length);
    return { data: data.subarray(0, bytesRead), whole: length === size };
  } finally {
    await handle.close();
  }
}

/**
 * The newest `logTailBytes` of the app log across its rotated files. Every line goes through the log's own
 * redaction again (the file could have been written by an older build, under older rules): a line that is not a
 * JSON object is left out, not copied, because nothing could check it.
 */
export async function readLogTail(userDataDir: string): Promise<LogTail> {
  const dir = join(userDataDir, 'logs');
  const chunks: Buffer[] = [];
  const files: string[] = [];
  let left = logTailBytes;
  for (const file of (await logFiles(dir)).reverse()) {
    if (left <= 0) break;
    const { data, whole } = await tailOf(join(dir, file), left);
    left -= data.length;
    // A file cut at the boundary starts mid-line (maybe mid-character): that part of a line is not kept.
    const lines = whole ? data : data.subarray(data.indexOf(0x0a) + 1 || data.length);
    // A file whose last entry lacks its newline must not run into the next file's first.
    chunks.unshift(Buffer.concat([lines, Buffer.from('\n')]));
    files.unshift(file);
  }
  let linesLeftOut = 0;
  const kept: string[] = [];
  for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    const entry = parsedObject(line);
    if (entry === null) linesLeftOut += 1;
    else kept.push(JSON.stringify(redact(entry)));
  }
  return { text: kept.length > 0 ? `${kept.join('\n')}\n` : '', files, linesLeftOut };
}

function parsedObject(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
