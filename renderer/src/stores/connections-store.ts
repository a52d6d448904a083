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
  /** Why the store started empty (store.corrupt) or why loading failed. */
  notice: AppError | null;
  error: AppError | null;
  filter: string;
  selectedId: string | null;
  load(): Promise<void>;
  setFilter(filter: string): void;
  select(id: string | null): void;
  save(request: ConnectionSaveRequest): Promise<Result<ConnectionView>>;
  remove(id: string): Promise<Result<{ id: string }>>;
  importDocument(document: unknown): Promise<Result<ImportReport>>;
  exportAll(): Promise<Result<ConnectionsExport>>;
}

export const useConnectionsStore = create<ConnectionsState>((set, get) => ({
  status: 'loading',
  connections: [],
  notice: null,
  error: null,
  filter: '',
  selectedId: null,

  async load() {
    set({ status: 'loading', error: null });
    const result = await invoke('connections:list', {});
    if (!result.ok) {
      set({ status: 'failed', error: result.error });
      return;
    }
    performance.mark(perfMarks.dataArrived);
    const { selectedId } = get();
    const { connections, notice } = result.value;
    set({
      status: 'ready',
      connections,
      notice,
      selectedId: connections.some((c) => c.id === selectedId) ? selectedId : null,
    });
  },

  setFilter(filter) {
    set({ filter });
  },

  select(selectedId) {
    set({ selectedId });
  },

  async save(request) {
    const result = await invoke('connections:save', request);
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
    const result = await invoke('connections:delete', { id });
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
    if (result.ok && result.value.imported.length > 0) await get().load();
    return result;
  },

  exportAll() {
    return invoke('connections:export', {});
  },
}));

/** Case-insensitive match on name, domain and kind, as the filter box promises. */
export function matchesFilter(connection: ConnectionView, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  return [connection.name, connectionDomain(connection), connectionKindLabel[connection.kind]].some((field) =>
    field.toLowerCase().includes(needle),
  );
}
