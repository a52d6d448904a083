import type { CliCommand } from '../cli-command';
import { adDiscoverCommand, adTestCommand } from './ad';
import { agentStatusCommand, agentTestCommand, agentUpdateCommand } from './agent';
import { appInfoCommand } from './app-info';
import { connectionsCheckCommand } from './check';
import { connectionsExportCommand, connectionsImportCommand, connectionsListCommand } from './connections';
import { diagnoseCommand } from './diagnose';
import { entraTestCommand } from './entra';
import { fleetRepairCommand, fleetStatusCommand } from './fleet';
import { entraRenewCertificateCommand } from './renew-certificate';
import { entraSetupAppCommand } from './setup-app';
import { weRegisterCommand } from './we';

export interface CliGroup {
  name: string;
  summary: string;
  /** Older names that still work, for scripts written before a rename. */
  aliases?: string[];
}

/** The first word of every command, in the order --help lists them. */
export const cliGroups: readonly CliGroup[] = [
  { name: 'app', summary: 'This installation: version, runtime, data folder and vault.' },
  { name: 'connections', summary: 'The stored connections: list, export, import, check expiries.' },
  { name: 'ad', summary: 'Microsoft Active Directory: test a domain controller, discover them.' },
  {
    name: 'entra',
    summary: 'Microsoft Entra ID: test a tenant, set up certificate sign-in, renew it ("aad" too).',
    aliases: ['aad'],
  },
  { name: 'agent', summary: 'The Remote Agent: its status, and the connection it holds.' },
  { name: 'we', summary: 'The Workflow Engine: which Remote Agent serves a domain.' },
  { name: 'fleet', summary: 'Every Remote Agent: status, drift against the store and the routes, repair.' },
];

/** Every command of `connection-utility`, in the order --help lists them. */
export const cliCommands: readonly CliCommand[] = [
  appInfoCommand,
  connectionsListCommand,
  connectionsExportCommand,
  connectionsImportCommand,
  connectionsCheckCommand,
  adTestCommand,
  adDiscoverCommand,
  entraTestCommand,
  entraSetupAppCommand,
  entraRenewCertificateCommand,
  agentStatusCommand,
  agentUpdateCommand,
  agentTestCommand,
  weRegisterCommand,
  diagnoseCommand,
  fleetStatusCommand,
  fleetRepairCommand,
];
