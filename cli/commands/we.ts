import { resolve } from 'node:path';
import type { CliCommand } from '../cli-command';
import { UsageError } from '../cli-io';
import { printResult } from '../print-result';

export const weRegisterCommand: CliCommand = {
  words: ['we', 'register'],
  summary: 'Update Agent in WE: route a Microsoft Online domain to a Remote Agent in the Workflow Engine.',
  usage: 'we register --domain D --agent-url URL [--routes FILE] [--json]',
  options: {
    domain: { type: 'string' },
    'agent-url': { type: 'string' },
    routes: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }, context) {
    if (typeof values.domain !== 'string') throw new UsageError('this command needs --domain');
    if (typeof values['agent-url'] !== 'string')
      throw new UsageError('this command needs --agent-url (e.g. http://host:40002)');
    const result = await context.router.invoke(
      'we:register',
      { domain: values.domain, agentUrl: values['agent-url'] },
      {
        emit: () => {},
        // The admin's own choice on the command line, so beside the request (which no window may fill with a
        // path), and relative to where it was typed, not to the app's folder.
        ...(typeof values.routes === 'string' ? { host: { routesFile: resolve(values.routes) } } : {}),
      },
    );
    return printResult(
      result,
      values.json === true,
      context.io,
      (done) =>
        `OK: ${done.routesFile} routes ${done.domain} to ${done.route.agentUrl}` +
        `${done.previous && done.previous.agentUrl !== done.route.agentUrl ? ` (was ${done.previous.agentUrl})` : ''}; ${done.routeCount} route(s) in the file.\n`,
    );
  },
};
