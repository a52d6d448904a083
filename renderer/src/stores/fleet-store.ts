import { create } from 'zustand';
import type { AppError } from '../../../shared/common/errors/app-error';
import { AppErrorCode } from '../../../shared/common/errors/error-codes';
import type { FleetRepairReport, FleetStatus, RepairAction } from '../../../shared/common/fleet/fleet';
import type { EventPayloadOf } from '../../../shared/common/ipc/event-map';
import { runOperation } from '../operations/run-operation';

/** How far the running check or repair is (main's step names are for its log, not shown). */
export interface FleetProgress {
  done: number;
  total?: number;
}

/** One row's repair: the domain and the action, all a request may name (main finds the rest). */
export interface RepairTarget {
  domain: string;
  action: RepairAction;
}

export interface RepairReportView {
  /** Repair all, or the one row's button. */
  scope: 'all' | RepairTarget;
  results: FleetRepairReport['results'];
}

interface FleetState {
  /** idle: never asked; loading: the first status is on its way and there is nothing to show yet. */
  status: 'idle' | 'loading' | 'ready' | 'failed';
  fleet: FleetStatus | null;
  /** Why the last refresh failed; the fleet shown before it (if any) stays. */
  error: AppError | null;
  refreshing: boolean;
  progress: FleetProgress | null;
  repairing: 'all' | RepairTarget | null;
  report: RepairReportView | null;
  /** The repair request itself failed (not one of its repairs: those are in the report). */
  repairError: AppError | null;
  refresh(): Promise<void>;
  cancelRefresh(): void;
  repair(target?: RepairTarget): Promise<void>;
  dismissReport(): void;
}

const progressOf = (event: EventPayloadOf<'progress'>): FleetProgress => ({
  done: event.done,
  ...(event.total === undefined ? {} : { total: event.total }),
});

/** The fleet as main last reported it, and the refresh and repairs the Agents view runs against it. */
export const useFleetStore = create<FleetState>((set, get) => {
  /** Only the latest status request's answer is shown; a repair's own `after` supersedes any in flight. */
  let requests = 0;
  let cancelRunning: (() => void) | null = null;

  const showStatus = (fleet: FleetStatus) => set({ status: 'ready', fleet, error: null });

  return {
    status: 'idle',
    fleet: null,
    error: null,
    refreshing: false,
    progress: null,
    repairing: null,
    report: null,
    repairError: null,

    async refresh() {
      // A repair ends with the fleet as it left it: a status asked meanwhile would be no newer.
      if (get().repairing) return;
      const asked = ++requests;
      cancelRunning?.();
      set((state) => ({
        refreshing: true,
        progress: null,
        status: state.fleet ? state.status : 'loading',
      }));
      const running = runOperation('fleet:status', {}, (event) => {
        if (asked === requests) set({ progress: progressOf(event) });
      });
      cancelRunning = running.cancel;
      const result = await running.result;
      if (asked !== requests) return;
      cancelRunning = null;
      set({ refreshing: false, progress: null });
      if (result.ok) {
        showStatus(result.value);
      } else if (result.error.code !== AppErrorCode.operationCancelled) {
        set({ status: 'failed', error: result.error });
      } else if (!get().fleet) {
        set({ status: 'idle' });
      }
    },

    cancelRefresh() {
      cancelRunning?.();
    },

    async repair(target) {
      if (get().repairing) return;
      // Whatever refresh was running is older than what the repair will report.
      requests += 1;
      cancelRunning?.();
      cancelRunning = null;
      set({
        repairing: target ?? 'all',
        refreshing: false,
        progress: null,
        repairError: null,
        report: null,
      });
      const running = runOperation(
        'fleet:repair',
        { dryRun: false, ...(target ? { repairs: [target] } : {}) },
        (event) => set({ progress: progressOf(event) }),
      );
      const result = await running.result;
      set({ repairing: null, progress: null });
      if (!result.ok) {
        set({ repairError: result.error });
        // Some repairs may have run before it failed: show what is true now.
        await get().refresh();
        return;
      }
      set({ report: { scope: target ?? 'all', results: result.value.results } });
      if (result.value.after) showStatus(result.value.after);
      else await get().refresh();
    },

    dismissReport() {
      set({ report: null, repairError: null });
    },
  };
});
