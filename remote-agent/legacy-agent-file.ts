import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { StoredSecretSchema } from '../shared/common/connections/store-document';
import { type AppError, AppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { AtomicJsonFile } from '../shared/node/storage/atomic-json-file';
import { SealedDataKeySchema, StoredAgentConnectionSchema } from './agent-store-schema';

/** Where agents before the SQLite store kept their connections: read once, then renamed. */
export const legacyAgentStoreFileName = 'agent-connections.json';

/** The document those agents wrote (version 1, no integrity tag, secrets in a list beside the connections). */
const LegacyAgentDocumentSchema = z.strictObject({
  connections: z.array(StoredAgentConnectionSchema),
  dataKey: SealedDataKeySchema.optional(),
  secrets: z.array(StoredSecretSchema).default([]),
});
export type LegacyAgentDocument = z.output<typeof LegacyAgentDocumentSchema>;

export interface LegacyAgentFile {
  path: string;
  document: LegacyAgentDocument;
  /** Set when the file was damaged: it was set aside (`.corrupt-<time>`) as those agents did, and is empty here. */
  recovered: AppError | null;
  /** Renames the file to `agent-connections.json.migrated-<time>` and returns that path. */
  retire(): Promise<string>;
}

/** How long to wait for another agent that is migrating the same file right now. */
const defaultWaitMs = 5_000;

/**
 * Opens agent-connections.json as its writer did (same schema, same lock), runs `work` with it and lets it go;
 * null when there is none. The lock keeps an older agent that still runs on this folder from writing to the file
 * after its connections were moved. A lock held by another new agent means it is migrating: wait for it, and find
 * the file gone.
 */
export async function withLegacyAgentFile<R>(
  dataDir: string,
  now: () => Date,
  work: (legacy: LegacyAgentFile) => Promise<R>,
  waitMs = defaultWaitMs,
): Promise<R | null> {
  const path = join(dataDir, legacyAgentStoreFileName);
  const file = await writerWhenFree(dataDir, now, waitMs);
  if (!file) return null;
  try {
    // The agent that held the lock before us moved the file and let go.
    if (!existsSync(path)) return null;
    const { value, recovered } = await file.read();
    return await work({
      path,
      document: value,
      recovered: recovered ? { ...recovered, message: damagedMessage } : null,
      async retire() {
        const movedTo = `${path}.migrated-${now().toISOString().replace(/[:.]/g, '-')}`;
        await rename(path, movedTo);
        return movedTo;
      },
    });
  } finally {
    await file.close();
  }
}

/** The file opened for writing once no other agent holds it, or null when there is (no longer) such a file. */
async function writerWhenFree(
  dataDir: string,
  now: () => Date,
  waitMs: number,
): Promise<AtomicJsonFile<LegacyAgentDocument> | null> {
  const path = join(dataDir, legacyAgentStoreFileName);
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (!existsSync(path)) return null;
    try {
      return await AtomicJsonFile.openForWriting({
        path,
        label: `Remote Agent store (${legacyAgentStoreFileName})`,
        version: 1,
        schema: LegacyAgentDocumentSchema,
        empty: (): LegacyAgentDocument => ({ connections: [], secrets: [] }),
        now,
      });
    } catch (error) {
      if (!(error instanceof AppFailure) || error.appError.code !== AppErrorCode.storeLocked) throw error;
      if (Date.now() >= deadline) throw olderAgentRunning(dataDir, error.appError);
      await sleep(50);
    }
  }
}

const damagedMessage =
  'agent-connections.json was damaged; it was set aside and its connections were not moved.';

/** The lock's owner as the lock names it: "process 4242 on host", or nothing when it could not be read. */
function ownerOf({ detail }: AppError): string {
  return typeof detail?.pid === 'number' && typeof detail.host === 'string'
    ? ` (process ${detail.pid} on ${detail.host})`
    : '';
}

function olderAgentRunning(dataDir: string, locked: AppError): AppFailure {
  return new AppFailure({
    code: AppErrorCode.storeLocked,
    message: `An older Remote Agent${ownerOf(locked)} still runs on the data folder ${dataDir}: it holds ${legacyAgentStoreFileName}.`,
    hint: 'Stop that agent, then start this one: it moves the connections into agent-connections.db.',
    detail: { ...locked.detail, file: join(dataDir, legacyAgentStoreFileName), dataDir },
  });
}
