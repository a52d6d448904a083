import { create } from 'zustand';
import type { AppInfo } from '../../../shared/common/app-info';
import type { AppError } from '../../../shared/common/errors/app-error';
import { invoke } from '../bridge';

type AppInfoState =
  | { status: 'loading' }
  | { status: 'ready'; info: AppInfo }
  | { status: 'failed'; error: AppError };

interface AppInfoStore {
  state: AppInfoState;
  load(): Promise<void>;
}

export const useAppInfoStore = create<AppInfoStore>((set) => ({
  state: { status: 'loading' },
  async load() {
    set({ state: { status: 'loading' } });
    const result = await invoke('app:info', {});
    set({
      state: result.ok ? { status: 'ready', info: result.value } : { status: 'failed', error: result.error },
    });
  },
}));
