import { readSettings, settingsView, writeSettings } from '../../../shared/node/settings/settings-file';
import type { Handlers } from '../router';

type SettingsHandlers = Pick<Handlers, 'settings:get' | 'settings:save'>;

export function createSettingsHandlers(userDataDir: string): SettingsHandlers {
  return {
    async 'settings:get'() {
      return settingsView(userDataDir, await readSettings(userDataDir));
    },
    async 'settings:save'(settings) {
      await writeSettings(userDataDir, settings);
      return settingsView(userDataDir, settings);
    },
  };
}
