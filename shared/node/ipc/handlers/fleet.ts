import type { FleetRow, RepairAction } from '../../../common/fleet/fleet';
import type { Settings } from '../../../common/settings';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { planRepairs, type RepairOutcome, runRepairs } from '../../fleet/fleet-repair';
import { fleetStatus } from '../../fleet/fleet-status';
import { readSettings, routesFileOf } from '../../settings/settings-file';
import { removeRoute } from '../../workflow-engine/routes-file';
import type { Handler, HandlerContext, Handlers } from '../router';
import type { SystemTrust } from './system-trust';

type FleetHandlers = Pick<Handlers, 'fleet:status' | 'fleet:repair'>;

export interface FleetDependencies {
  stores: ConnectionStoreProvider;
  systemTrust: SystemTrust;
  userDataDir: string;
  /** The existing operations a repair is: Update Remote Agent, Update Agent in WE. */
  updateAgent: Handler<'agent:update'>;
  registerRoute: Handler<'we:register'>;
  /** How long each agent may take (up to 64 are probed at once); absent: fleetProbeTimeoutMs. */
  probeTimeoutMs?: number;
}

export function createFleetHandlers(deps: FleetDependencies): FleetHandlers {
  /** The routes file we:register writes: the CLI's --routes, else Settings (or its environment and default). */
  const routesFileFor = async (context: HandlerContext, settings?: Settings) =>
    context.host?.routesFile ??
    routesFileOf(deps.userDataDir, settings ?? (await readSettings(deps.userDataDir))).path;

  const statusNow = async (context: HandlerContext, operationId: string | undefined) => {
    const settings = await readSettings(deps.userDataDir);
    return fleetStatus({
      stores: deps.stores,
      routesFile: await routesFileFor(context, settings),
      defaultAgent: settings.remoteAgent,
      trustSystemStore: await deps.systemTrust(context),
      ...(deps.probeTimeoutMs ? { probeTimeoutMs: deps.probeTimeoutMs } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
      onProbed: (agent, done, total) => {
        if (operationId)
          context.emit('progress', { operationId, step: `Probed ${agent.url}: ${agent.state}`, done, total });
      },
    });
  };

  /** One repair, each the existing operation, on what main itself found for the row: never the request's. */
  const repair = async (
    action: RepairAction,
    row: FleetRow,
    context: HandlerContext,
  ): Promise<RepairOutcome> => {
    const { connection, route, domain } = row;
    if (action === 'removeRoute') {
      if (!route) return { outcome: 'skipped', message: `${domain} has no route any more.` };
      // A connection saved for the domain since the status was taken keeps its route.
      const saved = (await deps.stores.forReading()).list().connections;
      if (saved.some((c) => c.kind === 'microsoftOnline' && c.tenantDomain === domain))
        return { outcome: 'skipped', message: `${domain} has a saved connection now: its route stays.` };
      const removed = await removeRoute({
        file: await routesFileFor(context),
        domain,
        onlyIf: (now) => now.agentUrl === route.agentUrl && now.connectionId === route.connectionId,
      });
      return removed.removed
        ? {
            outcome: 'done',
            message: `Removed the route of ${domain} (to ${route.agentUrl}) from ${removed.routesFile}.`,
          }
        : {
            outcome: 'skipped',
            message: `The route of ${domain} changed since it was checked: left as it is.`,
          };
    }
    if (!connection) return { outcome: 'skipped', message: `${domain} has no saved connection.` };
    if (action === 'updateAgent') {
      const copy = await deps.updateAgent({ connectionId: connection.id }, context);
      return {
        outcome: 'done',
        message: `The Remote Agent at ${connection.agentUrl} now has ${copy.domain}${copy.revision ? ` (revision ${copy.revision})` : ''}.`,
      };
    }
    const written = await deps.registerRoute(
      { domain, agentUrl: connection.agentUrl, connectionId: connection.id },
      context,
    );
    const { previous } = written;
    const wasAgent =
      previous && previous.agentUrl !== written.route.agentUrl ? ` (was ${previous.agentUrl})` : '';
    const wasConnection =
      previous && previous.connectionId !== written.route.connectionId
        ? ` for ${connection.name} (the route named connection ${previous.connectionId})`
        : '';
    return {
      outcome: 'done',
      message: `${written.routesFile} routes ${domain} to ${written.route.agentUrl}${wasAgent}${wasConnection}.`,
    };
  };

  return {
    async 'fleet:status'({ operationId }, context) {
      return statusNow(context, operationId);
    },

    async 'fleet:repair'(request, context) {
      const { operationId } = request;
      const before = await statusNow(context, operationId);
      const results = await runRepairs({
        planned: planRepairs(before, request),
        dryRun: request.dryRun,
        run: (action, row) => repair(action, row, context),
        ...(context.signal ? { signal: context.signal } : {}),
        onResult: (result, done, total) => {
          if (operationId)
            context.emit('progress', {
              operationId,
              step: `${result.action} ${result.domain}: ${result.outcome}`,
              done,
              total,
            });
        },
      });
      return { results, after: request.dryRun ? null : await statusNow(context, operationId) };
    },
  };
}
