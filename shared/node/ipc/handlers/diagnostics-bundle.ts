import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppInfo } from '../../../common/app-info';
import { AppErrorCode, AppFailure } from '../../../common/errors/app-error';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { bundleEntries } from '../../diagnostics/bundle/bundle-entries';
import { gatherDiagnoses } from '../../diagnostics/bundle/gather-diagnoses';
import { zipArchive } from '../../diagnostics/bundle/zip-archive';
import type { LastDiagnoses } from '../../diagnostics/last-diagnoses';
import { writeFileAtomically } from '../../storage/write-file-atomically';
import type { FileChooser } from '../file-chooser';
import type { Handler, HandlerContext, Handlers } from '../router';
import type { SystemTrust } from './system-trust';

type BundleHandlers = Pick<Handlers, 'diagnostics:exportBundle'>;

export interface BundleDependencies {
  stores: ConnectionStoreProvider;
  systemTrust: SystemTrust;
  appInfo: AppInfo;
  chooseFile: FileChooser;
  last: LastDiagnoses;
  diagnose: Handler<'diagnostics:run'>;
}

/** `connection-utility-diagnostics-20300102-0304.zip`: sorts by time, and says what it is when mailed. */
function suggestedName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13);
  return `connection-utility-diagnostics-${stamp}.zip`;
}

/** Where the zip goes: the CLI's --bundle, else main's own Save dialog; null when the admin cancelled it. */
async function bundleFileOf(deps: BundleDependencies, context: HandlerContext, now: Date) {
  if (context.host?.bundleFile !== undefined) return resolve(context.host.bundleFile);
  const chosen = await deps.chooseFile({
    title: 'Export diagnostics',
    defaultPath: join(homedir(), suggestedName(now)),
    buttonLabel: 'Export',
    filters: [{ name: 'Diagnostics bundle (zip)', extensions: ['zip'] }],
  });
  return chosen === null ? null : resolve(chosen);
}

function writeFailed(file: string, error: unknown): AppFailure {
  const errno = (error as NodeJS.ErrnoException).code ?? 'unknown';
  return new AppFailure({
    code: AppErrorCode.diagnosticsBundleIoFailed,
    message: `The diagnostics bundle could not be written to ${file}.`,
    hint:
      errno === 'ENOENT'
        ? 'The folder does not exist: choose another one, then export again.'
        : 'Choose a folder you can write to (your Documents, for example), then export again.',
    detail: { file, errno },
  });
}

/**
 * Export diagnostics…: main asks where (the window never names the file), diagnoses the selected connections
 * it has no diagnosis of this session, and writes one zip, 0600 and atomically: the last diagnoses as JSON and
 * HTML, versions, the effective proxy, trust settings and the log's last MiB, all through the log's redaction.
 */
export function createDiagnosticsBundleHandler(deps: BundleDependencies): BundleHandlers {
  return {
    async 'diagnostics:exportBundle'(request, context) {
      const now = new Date();
      const file = await bundleFileOf(deps, context, now);
      if (file === null) return { saved: false };
      const store = await deps.stores.forReading();
      const connections = new Map(store.list().connections.map((connection) => [connection.id, connection]));
      const diagnoses = await gatherDiagnoses({
        connectionIds: request.connectionIds,
        agent: request.agent,
        operationId: request.operationId,
        connections,
        last: deps.last,
        diagnose: async (diagnoseRequest, diagnoseContext) => deps.diagnose(diagnoseRequest, diagnoseContext),
        context,
      });
      const entries = await bundleEntries({
        appInfo: deps.appInfo,
        createdAt: now,
        diagnoses,
        systemStore: () => deps.systemTrust(context),
        agentKeyBindings: store.agentKeyBindings(),
      });
      const chunks = zipArchive(entries, now);
      try {
        await writeFileAtomically(file, chunks, 0o600);
      } catch (error) {
        throw writeFailed(file, error);
      }
      return {
        saved: true,
        file,
        bytes: chunks.reduce((sum, chunk) => sum + chunk.length, 0),
        entries: entries.map((entry) => entry.name),
      };
    },
  };
}
