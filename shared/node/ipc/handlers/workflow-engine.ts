import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { readSettings, routesFileOf } from '../../settings/settings-file';
import { writeRoute } from '../../workflow-engine/routes-file';
import type { Handlers } from '../router';

type WorkflowEngineHandlers = Pick<Handlers, 'we:register'>;

export function createWorkflowEngineHandlers(
  stores: ConnectionStoreProvider,
  userDataDir: string,
): WorkflowEngineHandlers {
  /** The Microsoft Online connection the route names: the one given, else the one of the domain. */
  const connectionFor = async (domain: string, connectionId: string | undefined): Promise<string> => {
    const online = (await stores.forReading())
      .list()
      .connections.filter((connection) => connection.kind === 'microsoftOnline');
    const match = connectionId
      ? online.find((connection) => connection.id === connectionId)
      : online.find((connection) => connection.tenantDomain === domain);
    if (!match) {
      throw new AppFailure({
        code: AppErrorCode.weUnknownConnection,
        message: connectionId
          ? 'That Microsoft Online connection does not exist.'
          : `There is no Microsoft Online connection for ${domain}.`,
        hint: 'Create it first: New Connection... → Microsoft Online.',
        detail: { domain },
      });
    }
    if (match.kind === 'microsoftOnline' && match.tenantDomain !== domain) {
      throw new AppFailure({
        code: AppErrorCode.inputInvalid,
        message: `That connection is for ${match.tenantDomain}, not ${domain}.`,
        detail: { domain, connectionDomain: match.tenantDomain },
      });
    }
    return match.id;
  };

  return {
    async 'we:register'(request, context) {
      const connectionId = await connectionFor(request.domain, request.connectionId);
      const file =
        context.host?.routesFile ?? routesFileOf(userDataDir, await readSettings(userDataDir)).path;
      return writeRoute({ file, domain: request.domain, agentUrl: request.agentUrl, connectionId });
    },
  };
}
