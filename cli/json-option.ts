import { flag } from './cli-options';

/** Every command's --json: the contract's value on success, the AppError on failure, both on stdout. */
export const jsonOption = flag('--json', 'print the result (or the error) as JSON on stdout');
