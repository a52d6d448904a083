import { resolve } from 'node:path';
import { defineCommand } from '../cli-command';
import { requiredText, text } from '../cli-options';
import { jsonOption } from '../json-option';
import { printResult } from '../print-result';

export const weRegisterCommand = defineCommand({
  words: ['we', 'register'],
  summary: 'Update Agent in WE: route a Microsoft Online domain to a Remote Agent in the Workflow Engine.',
  options: {
    domain: requiredText('--domain <domain>', 'the tenant domain of a stored Microsoft Online connection'),
    agentUrl: requiredText('--agent-url <url>', 'the Remote Agent that serves it, e.g. http://host:40002'),
    routes: text(
      '--routes <file>',
      'the routes file to write (default: CU_WORKFLOW_ENGINE_ROUTES, else Settings, else the data folder)',
    ),
    json: jsonOption,
  },
  async run({ domain, agentUrl, routes, json }, context) {
    const result = await context.router.invoke(
      'we:register',
      { domain, agentUrl },
      {
        emit: () => {},
        // The admin's own choice on the command line, so beside the request (which no window may fill with a
        // path), and relative to where it was typed, not to the app's folder.
        ...(routes === undefined ? {} : { host: { routesFile: resolve(routes) } }),
      },
    );
    return printResult(
      result,
      json,
      context.io,
      (done) =>
        `OK: ${done.routesFile} routes ${done.domain} to ${done.route.agentUrl}` +
        `${done.previous && done.previous.agentUrl !== done.route.agentUrl ? ` (was ${done.previous.agentUrl})` : ''}; ${done.routeCount} route(s) in the file.\n`,
    );
  },
});
