import { resolve } from 'node:path';
import type { Settings } from '../../../common/settings';
import { readSettings, routesFileOf, settingsView, updateSettings } from '../../settings/settings-file';
import { readRoutes } from '../../workflow-engine/routes-file';
import type { FileChooser } from '../file-chooser';
import type { Handlers } from '../router';

type SettingsHandlers = Pick<Handlers, 'settings:get' | 'settings:save' | 'settings:chooseRoutesFile'>;

/** The stored settings without a chosen routes file. */
function withoutRoutesFile({ workflowEngineRoutesFile: _chosen, ...rest }: Settings): Settings {
  return rest;
}

export function createSettingsHandlers(userDataDir: string, chooseFile: FileChooser): SettingsHandlers {
  const view = (settings: Settings) => settingsView(userDataDir, settings);
  return {
    async 'settings:get'() {
      return view(await readSettings(userDataDir));
    },
    async 'settings:save'(request) {
      // The request cannot name the routes file (its schema has no such field): the stored one stays.
      const saved = await updateSettings(userDataDir, (current) => ({
        ...request,
        ...(current.workflowEngineRoutesFile
          ? { workflowEngineRoutesFile: current.workflowEngineRoutesFile }
          : {}),
      }));
      return view(saved);
    },
    async 'settings:chooseRoutesFile'({ useDefault }) {
      if (useDefault) {
        return { outcome: 'default', settings: view(await updateSettings(userDataDir, withoutRoutesFile)) };
      }
      const current = await readSettings(userDataDir);
      const answer = await chooseFile({
        title: 'Workflow Engine routes file',
        defaultPath: routesFileOf(userDataDir, current).path,
        buttonLabel: 'Use this file',
        filters: [{ name: 'Routes file (JSON)', extensions: ['json'] }],
      });
      if (answer === null) return { outcome: 'cancelled', settings: view(current) };
      const file = resolve(answer);
      // Refused now rather than at Update Agent in WE; the error names the file and why, never its content.
      await readRoutes(file);
      const saved = await updateSettings(userDataDir, (stored) => ({
        ...stored,
        workflowEngineRoutesFile: file,
      }));
      return { outcome: 'chosen', settings: view(saved) };
    },
  };
}
