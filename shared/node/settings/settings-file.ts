import { join } from 'node:path';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { type Settings, SettingsSchema, type SettingsView } from '../../common/settings';
import { AtomicJsonFile, type AtomicJsonFileOptions } from '../storage/atomic-json-file';

const options = (dir: string): AtomicJsonFileOptions<Settings> => ({
  path: join(dir, 'settings.json'),
  // 2 added trustSystemStore. A build that knows only 1 reports the file as newer instead of setting it aside
  // (and losing an admin's "off" on its next Save).
  version: 2,
  schema: SettingsSchema,
  migrations: {
    // Version 1 had no trustSystemStore: the schema's default (on) is what those builds did.
    1: (document) => document,
  },
  empty: () => SettingsSchema.parse({}),
});

/** Settings as stored; a damaged file is reported by the writer, and the defaults apply meanwhile. */
export async function readSettings(dir: string): Promise<Settings> {
  try {
    return (await AtomicJsonFile.forReading(options(dir)).read()).value;
  } catch (error) {
    if (error instanceof AppFailure && error.appError.code === AppErrorCode.storeTooNew) {
      throw new AppFailure({
        code: AppErrorCode.settingsInvalid,
        message: 'The settings file was written by a newer version of Connection Utility.',
        hint: 'Use that version (or newer); this version will not change the file.',
        ...(error.appError.detail ? { detail: error.appError.detail } : {}),
      });
    }
    if (!(error instanceof AppFailure) || error.appError.code !== AppErrorCode.storeCorrupt) throw error;
    throw new AppFailure({
      code: AppErrorCode.settingsInvalid,
      message: 'The settings file is damaged.',
      hint: 'Open Settings and Save: the damaged file is kept aside and your choices are written anew.',
      ...(error.appError.detail ? { detail: error.appError.detail } : {}),
    });
  }
}

export async function writeSettings(dir: string, settings: Settings): Promise<void> {
  await updateSettings(dir, () => settings);
}

/** Reads, changes and writes the settings under the file's lock: two writers never lose each other's change. */
export async function updateSettings(
  dir: string,
  change: (current: Settings) => Settings,
): Promise<Settings> {
  const file = await AtomicJsonFile.openForWriting(options(dir));
  try {
    // Reading first sets a damaged file aside (kept as settings.json.corrupt-…) instead of overwriting it.
    const next = change((await file.read()).value);
    await file.write(next);
    return next;
  } finally {
    await file.close();
  }
}

/** The Workflow Engine routes file: the environment overrides Settings, which override the default. */
export function routesFileOf(
  dir: string,
  settings: Settings,
  env: NodeJS.ProcessEnv = process.env,
): SettingsView['routesFile'] {
  const fromEnv = env.CU_WORKFLOW_ENGINE_ROUTES?.trim();
  if (fromEnv) return { path: fromEnv, source: 'environment' };
  if (settings.workflowEngineRoutesFile)
    return { path: settings.workflowEngineRoutesFile, source: 'settings' };
  return { path: join(dir, 'workflow-engine', 'routes.json'), source: 'default' };
}

export function settingsView(dir: string, settings: Settings): SettingsView {
  return { ...settings, routesFile: routesFileOf(dir, settings) };
}
