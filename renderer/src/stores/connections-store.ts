import { create } from 'zustand';
import type { ConnectionView } from '../../../shared/common/connections/connection';
import {
  connectionDomain,
  connectionKindLabel,
} from '../../../shared/common/connections/describe-connection';
import type { ConnectionSaveRequest } from '../../../shared/common/connections/save-request';
import type { ConnectionsExport, ImportReport } from '../../../shared/common/connections/transfer';
import type { AppError } from '../../../shared/common/errors/app-error';
import type { Result } from '../../../shared/common/result';
import { invoke } from '../bridge';

export const perfMarks = { dataArrived: 'connections:data', listPainted: 'connections:painted' } as const;

interface ConnectionsState {
  status: 'loading' | 'ready' | 'failed';
  connections: ConnectionView[];
  /** What the store found when it opened (store.corrupt, store.migrated), unless the admin dismissed it. */
  notice: AppError | null;
  error: AppError | null;
  filter: string;
  selectedId: string | null;
  /**
   * Connections another process (the CLI) deleted while this window listed them, as last seen: an editor
   * open on one keeps what the admin typed and says why it can no longer save.
   */
  deletedElsewhere: ConnectionView[];
  load(): Promise<void>;
  /** Lists again without the loading state: the selection, the filter and open dialogs stay as they are. */
  refresh(): Promise<void>;
  dismissNotice(): void;
  setFilter(filter: string): void;
  select(id: string | null): void;
  save(request: ConnectionSaveRequest): Promise<Result<ConnectionView>>;
  remove(id: string): Promise<Result<{ id: string }>>;
  importDocument(document: unknown): Promise<Result<ImportReport>>;
  exportAll(): Promise<Result<ConnectionsExport>>;
}

/** How many vanished connections are remembered for open editors: enough for any window, never unbounded. */
const deletedElsewhereKept = 20;

const noticeKey = (notice: AppError) => `${notice.code}\n${notice.message}`;

export const useConnectionsStore = create<ConnectionsState>((set, get) => {
  /**
   * Every list request gets the next number and only the latest one's answer is used. A save or delete of
   * this window's counts as a change when it is sent and when it is answered: a list answer whose flight
   * overlapped either may not show it, so it is asked for again rather than undoing what the window just did.
   */
  let listRequests = 0;
  let localChanges = 0;
  /** The notice the admin closed: the store repeats it with every list, and it should stay closed. */
  let dismissed: string | null = null;

  const list = async (quiet: boolean): Promise<void> => {
    const asked = ++listRequests;
    const changesBefore = localChanges;
    const result = await invoke('connections:list', {});
    if (asked !== listRequests) return;
    if (localChanges !== changesBefore) return list(quiet);
    if (!result.ok) {
      // A quiet refresh keeps a list that is already shown; the next change or action asks again.
      if (!quiet || get().status !== 'ready') set({ status: 'failed', error: result.error });
      return;
    }
    performance.mark(perfMarks.dataArrived);
    const { connections, notice } = result.value;
    const { selectedId, connections: before, deletedElsewhere } = get();
    const present = new Set(connections.map((c) => c.id));
    const vanished = [
      ...deletedElsewhere.filter((c) => !before.some((b) => b.id === c.id)),
      ...before,
    ].filter((c) => !present.has(c.id));
    set({
      status: 'ready',
      error: null,
      connections,
      notice: notice && noticeKey(notice) !== dismissed ? notice : null,
      selectedId: selectedId && present.has(selectedId) ? selectedId : null,
      deletedElsewhere: vanished.slice(-deletedElsewhereKept),
    });
  };

  return {
    status: 'loading',
    connections: [],
    notice: null,
    error: null,
    filter: '',
    selectedId: null,
    deletedElsewhere: [],

    async load() {
      set({ status: 'loading', error: null });
      await list(false);
    },

    refresh() {
      return list(true);
    },

    dismissNotice() {
      const { notice } = get();
      if (notice) dismissed = noticeKey(notice);
      set({ notice: null });
    },

    setFilter(filter) {
      set({ filter });
    },

    select(selectedId) {
      set({ selectedId });
    },

    async save(request) {
      localChanges += 1;
      const result = await invoke('connections:save', request);
      localChanges += 1;
      if (result.ok) {
        const saved = result.value;
        const exists = get().connections.some((c) => c.id === saved.id);
        set((state) => ({
          connections: exists
            ? state.connections.map((c) => (c.id === saved.id ? saved : c))
            : [...state.connections, saved],
          selectedId: saved.id,
        }));
      }
      return result;
    },

    async remove(id) {
      localChanges += 1;
      const result = await invoke('connections:delete', { id });
      localChanges += 1;
      if (result.ok || result.error.code === 'connections.notFound') {
        set((state) => ({
          connections: state.connections.filter((c) => c.id !== id),
          selectedId: state.selectedId === id ? null : state.selectedId,
        }));
      }
      return result;
    },

    async importDocument(document) {
      const result = await invoke('connections:import', { document });
      if (result.ok && result.value.imported.length > 0) await get().refresh();
      return result;
    },

    exportAll() {
      return invoke('connections:export', {});
    },
  };
});

/** Case-insensitive match on name, domain and kind, as the filter box promises. */
export function matchesFilter(connection: ConnectionView, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  return [connection.name, connectionDomain(connection), connectionKindLabel[connection.kind]].some((field) =>
    field.toLowerCase().includes(needle),
  );
}
