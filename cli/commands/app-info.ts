import type { AppInfo } from '../../shared/common/app-info';
import { defineCommand } from '../cli-command';
import { jsonOption } from '../json-option';
import { printResult } from '../print-result';

function human(info: AppInfo): string {
  return [
    `${info.appName} ${info.appVersion}`,
    `Node:       ${info.versions.node}`,
    `Electron:   ${info.versions.electron ?? '(not running in Electron)'}`,
    `Platform:   ${info.platform}`,
    `Data folder: ${info.userDataDir}`,
    `Vault:      ${info.vault.kind} (${info.vault.backend}, protection: ${info.vault.protection})`,
    '',
  ].join('\n');
}

export const appInfoCommand = defineCommand({
  words: ['app', 'info'],
  summary: 'Show the version, runtime, data folder and vault of this installation.',
  options: { json: jsonOption },
  async run({ json }, { io, router }) {
    return printResult(await router.invoke('app:info', {}), json, io, human);
  },
});
