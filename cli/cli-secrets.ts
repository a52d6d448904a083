import { readFile } from 'node:fs/promises';
import type { CliIo } from './cli-io';
import { UsageError } from './cli-io';

/** The password from stdin: one trailing newline (from `echo` or a here-string) is not part of it. */
export async function passwordFromStdin(io: CliIo): Promise<string> {
  if (!io.readStdin) throw new UsageError('--password-stdin needs standard input');
  const text = (await io.readStdin()).replace(/\r?\n$/, '');
  if (!text) throw new UsageError('--password-stdin read an empty password');
  return text;
}

/** A file named on the command line (a CA bundle, a certificate, a private key); its content is never shown. */
export async function readNamedFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
}
