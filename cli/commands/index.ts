import type { CliCommand } from '../cli-command';
import { adDiscoverCommand, adTestCommand } from './ad';
import { agentStatusCommand, agentTestCommand, agentUpdateCommand } from './agent';
import { appInfoCommand } from './app-info';
import { connectionsExportCommand, connectionsImportCommand, connectionsListCommand } from './connections';
import { entraTestCommand } from './entra';
import { weRegisterCommand } from './we';

/** Every command of `connection-utility`, in the order --help lists them. */
export const cliCommands: readonly CliCommand[] = [
  appInfoCommand,
  connectionsListCommand,
  connectionsExportCommand,
  connectionsImportCommand,
  adTestCommand,
  adDiscoverCommand,
  entraTestCommand,
  agentStatusCommand,
  agentUpdateCommand,
  agentTestCommand,
  weRegisterCommand,
];
