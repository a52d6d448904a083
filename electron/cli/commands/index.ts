import type { CliCommand } from '../cli-command';
import { appInfoCommand } from './app-info';

/** Every command of `connection-utility`, in the order --help lists them. */
export const cliCommands: readonly CliCommand[] = [appInfoCommand];
