import type { DiagnoseResult, Diagnosis, Stage } from '../../../common/diagnostics/diagnosis';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { httpsOrigin } from '../../agent/agent-tls';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { agentBinding } from '../../connections/secret-binding';
import type { AgentAccess } from '../../diagnostics/agent-stages';
import {
  type AgentSideInput,
  type DiagnosisSection,
  diagnoseConnection,
} from '../../diagnostics/diagnose-connection';
import type { LastDiagnoses } from '../../diagnostics/last-diagnoses';
import { readSettings, routesFileOf } from '../../settings/settings-file';
import type { HandlerContext, Handlers } from '../router';
import type { SystemTrust } from './system-trust';

type DiagnosticsHandlers = Pick<Handlers, 'diagnostics:run'>;

export interface DiagnosticsDependencies {
  stores: ConnectionStoreProvider;
  systemTrust: SystemTrust;
  userDataDir: string;
  last: LastDiagnoses;
}

/** The first failed stage of a result, in the order the sections are shown. */
function firstFailure(result: DiagnoseResult): Stage | undefined {
  const sections: (Diagnosis | null)[] = [result.thisComputer, result.remoteAgent, result.agentHost];
  for (const diagnosis of sections) {
    const failed = diagnosis?.stages.find((stage) => stage.status === 'fail');
    if (failed) return failed;
  }
  return undefined;
}

function summaryOf(result: DiagnoseResult): string {
  const failed = firstFailure(result);
  if (failed) return `Diagnosis failed at ${failed.name}: ${failed.error?.message ?? failed.detail ?? ''}`;
  const stages = [result.thisComputer, result.remoteAgent, result.agentHost].flatMap((d) => d?.stages ?? []);
  const warnings = stages.filter((stage) => stage.status === 'warn').length;
  return warnings
    ? `Diagnosis passed with ${warnings} warning(s) over ${stages.length} stages`
    : `Diagnosis passed: ${stages.length} stages`;
}

/**
 * Diagnose…: main reads the connection and the secret bound to it, and sends that secret only where the
 * connection's saved settings send it; the request names nothing but the connection and whether to ask its agent.
 */
export function createDiagnosticsHandlers(deps: DiagnosticsDependencies): DiagnosticsHandlers {
  const { stores } = deps;

  const accessFor = async (endpoint: {
    host: string;
    port: number;
    useTls: boolean;
  }): Promise<AgentAccess> => {
    const store = await stores.forReading();
    return {
      apiKey: await store.readAgentKey(agentBinding(endpoint)),
      pinnedFingerprint: endpoint.useTls ? await store.readAgentPin(httpsOrigin(endpoint)) : null,
    };
  };

  /** The routes file as we:register writes it: the CLI's --routes, else Settings, the environment, the default. */
  const routesFile = async (context: HandlerContext) =>
    context.host?.routesFile ?? routesFileOf(deps.userDataDir, await readSettings(deps.userDataDir)).path;

  /** Adds the outcome to the connection's test history (its last test stays what the tests said). */
  const remember = async (result: DiagnoseResult, durationMs: number) => {
    deps.last.remember(result);
    const failed = firstFailure(result);
    try {
      await (await stores.forWriting()).appendTest(result.connectionId, {
        at: result.checkedAt,
        durationMs,
        ok: !failed,
        ...(failed?.error ? { code: failed.error.code } : {}),
        summary: summaryOf(result).slice(0, 500),
        source: 'diagnose',
      });
    } catch {
      // Deleted meanwhile, or the store busy: the admin still sees the diagnosis itself.
    }
  };

  return {
    async 'diagnostics:run'(request, context) {
      const started = performance.now();
      const { connection, secret } = await (await stores.forReading()).boundSecret(request.connectionId);
      const trustSystemStore = await deps.systemTrust(context);
      const agent: AgentSideInput | null =
        request.agent && connection.kind === 'microsoftOnline'
          ? {
              access: await accessFor(connection.remoteAgent),
              accessFor,
              routesFile: await routesFile(context),
            }
          : null;
      let done = 0;
      const { operationId } = request;
      const onStage = (section: DiagnosisSection, stage: Stage) => {
        done += 1;
        if (operationId)
          context.emit('progress', {
            operationId,
            step: stage.name,
            done,
            diagnosis: { section, stage },
          });
      };
      const diagnosed = await diagnoseConnection(
        { connection, secret, trustSystemStore, agent },
        { ...(context.signal ? { signal: context.signal } : {}), onStage },
      );
      if (context.signal?.aborted)
        throw new AppFailure({
          code: AppErrorCode.operationCancelled,
          message: 'The diagnosis was cancelled.',
        });
      const result: DiagnoseResult = { connectionId: connection.id, ...diagnosed };
      await remember(result, Math.round(performance.now() - started));
      return result;
    },
  };
}
