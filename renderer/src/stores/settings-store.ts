import { create } from 'zustand';
import type { AppError } from '../../../shared/common/errors/app-error';
import type { Result } from '../../../shared/common/result';
import type {
  ChooseRoutesFileResult,
  SettingsSaveInput,
  SettingsView,
} from '../../../shared/common/settings';
import { invoke } from '../bridge';

interface SettingsState {
  settings: SettingsView | null;
  error: AppError | null;
  load(): Promise<SettingsView | null>;
  save(settings: SettingsSaveInput): Promise<Result<SettingsView>>;
  /** Main opens its own Save dialog (or, with useDefault, forgets the chosen file); the window sends no path. */
  chooseRoutesFile(useDefault: boolean): Promise<Result<ChooseRoutesFileResult>>;
}

/** This computer's settings: routes file, default Remote Agent, defaults for new Microsoft Online connections. */
export const useSettingsStore = create<SettingsState>((set) => ({
  settings: null,
  error: null,
  async load() {
    const result = await invoke('settings:get', {});
    set(result.ok ? { settings: result.value, error: null } : { error: result.error });
    return result.ok ? result.value : null;
  },
  async save(settings) {
    const result = await invoke('settings:save', settings);
    if (result.ok) set({ settings: result.value, error: null });
    return result;
  },
  async chooseRoutesFile(useDefault) {
    const result = await invoke('settings:chooseRoutesFile', { useDefault });
    if (result.ok) set({ settings: result.value.settings, error: null });
    return result;
  },
}));
