import { AppFailure } from '../../common/errors/app-error';
import type {
  FleetRepairReport,
  FleetRepairRequest,
  FleetRow,
  FleetStatus,
  RepairAction,
} from '../../common/fleet/fleet';

export type RepairResult = FleetRepairReport['results'][number];

/** One repair of one row: run it, or say why not. */
export interface PlannedRepair {
  row: FleetRow | null;
  domain: string;
  action: RepairAction;
  /** Absent: it runs. */
  skip?: string;
}

const actionOrder: readonly RepairAction[] = ['updateAgent', 'registerRoute', 'removeRoute'];

const removeOnlyWhenNamed =
  'A route is removed only when named: run "fleet repair --remove-routes", or choose Remove route on the row.';

function notProposed(row: FleetRow, action: RepairAction): string {
  const proposed = row.repairs.length ? row.repairs.join(', ') : 'nothing';
  return `Not needed: for ${row.domain} the fleet proposes ${proposed}, so ${action} was not run.`;
}

/**
 * What a request will do, judged against the fleet as it is now: only repairs the status itself proposes run,
 * so a request cannot make main write an agent or a route the fleet does not call for. Repair all (no list)
 * runs every proposed repair but route removals, which must be named.
 */
export function planRepairs(status: FleetStatus, request: FleetRepairRequest): PlannedRepair[] {
  const rows = new Map(status.rows.map((row) => [row.domain, row]));
  if (!request.repairs) {
    return status.rows.flatMap((row) =>
      row.repairs.map((action) => ({
        row,
        domain: row.domain,
        action,
        ...(action === 'removeRoute' ? { skip: removeOnlyWhenNamed } : {}),
      })),
    );
  }
  const named = new Map<string, Set<RepairAction>>();
  for (const { domain, action } of request.repairs)
    named.set(domain, (named.get(domain) ?? new Set()).add(action));
  return [...named].flatMap(([domain, actions]) => {
    const row = rows.get(domain) ?? null;
    return actionOrder
      .filter((action) => actions.has(action))
      .map((action): PlannedRepair => {
        if (!row)
          return {
            row,
            domain,
            action,
            skip: `There is no saved connection or route for ${domain}: nothing to repair.`,
          };
        return row.repairs.includes(action)
          ? { row, domain, action }
          : { row, domain, action, skip: notProposed(row, action) };
      });
  });
}

/** What running one repair says: done, or skipped when it found nothing left to do. */
export interface RepairOutcome {
  outcome: 'done' | 'skipped';
  message: string;
}

export interface RunRepairsInput {
  planned: readonly PlannedRepair[];
  dryRun: boolean;
  run: (action: RepairAction, row: FleetRow) => Promise<RepairOutcome>;
  signal?: AbortSignal;
  onResult?: (result: RepairResult, done: number, total: number) => void;
}

const describe: Record<RepairAction, (row: FleetRow) => string> = {
  updateAgent: (row) =>
    `Update Remote Agent: write ${row.domain} to ${row.connection?.agentUrl ?? 'its agent'}.`,
  registerRoute: (row) =>
    `Update Agent in WE: route ${row.domain} to ${row.connection?.agentUrl ?? 'its agent'}${row.connection ? ` for ${row.connection.name} (${row.connection.id})` : ''}.`,
  removeRoute: (row) =>
    `Remove route: take ${row.domain} (to ${row.route?.agentUrl}) out of the routes file.`,
};

/**
 * Runs the planned repairs one after another, each row's in order; a row whose repair failed skips the rest of
 * its repairs (a route must not point at an agent whose copy could not be written). Only AppFailures are a
 * repair's outcome; anything else is a bug and ends the run.
 */
export async function runRepairs(input: RunRepairsInput): Promise<RepairResult[]> {
  const results: RepairResult[] = [];
  const failedRows = new Set<string>();
  const total = input.planned.length;
  for (const planned of input.planned) {
    const { domain, action, row } = planned;
    let result: RepairResult;
    if (planned.skip !== undefined || !row) {
      result = { domain, action, outcome: 'skipped', message: planned.skip ?? 'Nothing to repair.' };
    } else if (failedRows.has(domain)) {
      result = {
        domain,
        action,
        outcome: 'skipped',
        message: 'Not run: an earlier repair of this row failed.',
      };
    } else if (input.dryRun) {
      result = { domain, action, outcome: 'planned', message: describe[action](row) };
    } else if (input.signal?.aborted) {
      result = { domain, action, outcome: 'skipped', message: 'Not run: the repair was cancelled.' };
    } else {
      try {
        const ran = await input.run(action, row);
        result = { domain, action, outcome: ran.outcome, message: ran.message.slice(0, 1000) };
      } catch (error) {
        if (!(error instanceof AppFailure)) throw error;
        const { message, hint } = error.appError;
        failedRows.add(domain);
        result = {
          domain,
          action,
          outcome: 'failed',
          message: `${message}${hint ? ` ${hint}` : ''}`.slice(0, 1000),
        };
      }
    }
    results.push(result);
    input.onResult?.(result, results.length, total);
  }
  return results;
}
