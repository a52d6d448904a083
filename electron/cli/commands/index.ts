import type { CliCommand } from '../cli-command';
import { aadTestCommand } from './aad';
import { adDiscoverCommand, adTestCommand } from './ad';
import { agentStatusCommand, agentTestCommand, agentUpdateCommand } from './agent';
import { appInfoCommand } from './app-info';
import { connectionsExportCommand, connectionsImportCommand, connectionsListCommand } from './connections';
import { weRegisterCommand } from './we';

/** Every command of `connection-utility`, in the order --help lists them. */
export const cliCommands: readonly CliCommand[] = [
  appInfoCommand,
  connectionsListCommand,
  connectionsExportCommand,
  connectionsImportCommand,
  adTestCommand,
  adDiscoverCommand,
  aadTestCommand,
  agentStatusCommand,
  agentUpdateCommand,
  agentTestCommand,
  weRegisterCommand,
];
