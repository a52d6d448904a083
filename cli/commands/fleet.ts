import { resolve } from 'node:path';
import { DnsNameSchema } from '../../shared/common/connections/fields';
import type { RequestOf } from '../../shared/common/ipc/channel-map';
import type { HandlerContext } from '../../shared/node/ipc/router';
import { defineCommand } from '../cli-command';
import { ExitCode } from '../cli-io';
import { flag, text } from '../cli-options';
import { jsonOption } from '../json-option';
import { printResult } from '../print-result';
import { contextWithTrust, noSystemTrustOption } from '../system-trust-flag';
import { humanRepair, humanStatus } from './fleet-format';

const routesOption = text(
  '--routes <file>',
  'the routes file to compare and repair (default: CU_WORKFLOW_ENGINE_ROUTES, else Settings, else the data folder)',
);

/** --routes and --no-system-trust travel beside the request, where no window can put them. */
function contextOf(routes: string | undefined, noSystemTrust: boolean): HandlerContext {
  return contextWithTrust(noSystemTrust, {
    emit: () => {},
    // Relative to where it was typed, as "we register --routes" takes it.
    ...(routes === undefined ? {} : { host: { routesFile: resolve(routes) } }),
  });
}

const fleetHelp = `Agents come from the saved Microsoft Online connections, the routes file and Settings; all are
asked at once (health, then their connections with the stored API key) within one timeout.`;

export const fleetStatusCommand = defineCommand({
  words: ['fleet', 'status'],
  summary:
    'Every Remote Agent and, per domain, the store, the agent and the route side by side; exits 1 on drift.',
  help: fleetHelp,
  options: { routes: routesOption, noSystemTrust: noSystemTrustOption(''), json: jsonOption },
  async run({ routes, noSystemTrust, json }, { io, router }) {
    const result = await router.invoke('fleet:status', {}, contextOf(routes, noSystemTrust));
    const code = printResult(result, json, io, humanStatus);
    return result.ok && result.value.driftCount > 0 ? ExitCode.checkFailed : code;
  },
});

export const fleetRepairCommand = defineCommand({
  words: ['fleet', 'repair'],
  summary:
    'Repair every drifting domain (Update Remote Agent, Update Agent in WE); exits 1 if any failed or drift is left.',
  help: `${fleetHelp}
Routes to a domain without a connection are removed only with --remove-routes. --dry-run lists the
repairs and changes nothing.`,
  options: {
    dryRun: flag('--dry-run', 'list what would be repaired, change nothing'),
    removeRoutes: flag('--remove-routes', 'also remove routes to domains no saved connection has'),
    routes: routesOption,
    noSystemTrust: noSystemTrustOption(''),
    json: jsonOption,
  },
  async run({ dryRun, removeRoutes, routes, noSystemTrust, json }, { io, router }) {
    const context = contextOf(routes, noSystemTrust);
    let request: RequestOf<'fleet:repair'> = { dryRun };
    if (removeRoutes) {
      // Repair all never removes a route: with --remove-routes every repair is named, removals included. Main
      // checks each against the fleet again before it runs.
      const status = await router.invoke('fleet:status', {}, context);
      if (!status.ok) return printResult(status, json, io, () => '');
      const repairs = status.value.rows
        // A route file's key that is no DNS name cannot be named in a request (the contract refuses it).
        .filter((row) => DnsNameSchema.safeParse(row.domain).success)
        .flatMap((row) => row.repairs.map((action) => ({ domain: row.domain, action })));
      if (repairs.length) request = { dryRun, repairs };
    }
    const result = await router.invoke('fleet:repair', request, context);
    const code = printResult(result, json, io, humanRepair);
    if (!result.ok) return code;
    const failed = result.value.results.some((repair) => repair.outcome === 'failed');
    const left = (result.value.after?.driftCount ?? 0) > 0;
    return failed || left ? ExitCode.checkFailed : code;
  },
});
