import type { AppInfo } from '../../shared/common/app-info';
import type { CliCommand } from '../cli-command';
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

export const appInfoCommand: CliCommand = {
  words: ['app', 'info'],
  summary: 'Show the version, runtime, data folder and vault of this installation.',
  usage: 'app info [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, { io, router }) {
    return printResult(await router.invoke('app:info', {}), args.values.json === true, io, human);
  },
};
