import { createHandlers } from '../shared/node/ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../shared/node/ipc/node-host-dependencies';
import { createRouter } from '../shared/node/ipc/router';
import { runCli } from './run-cli';

// The CLI is a composition root like electron/main.ts: same router, same handlers, no window.
const dependencies = nodeHostDependencies({ host: 'cli' });
const router = createRouter(createHandlers(dependencies), {
  operations: dependencies.operations,
  onUnexpectedError: (error, facts) =>
    process.stderr.write(
      `internal error ${facts.errorId} in ${facts.channel}: ${error instanceof Error ? error.message : 'non-error'}\n`,
    ),
});

runCli(process.argv.slice(2), {
  router,
  io: {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`connection-utility: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
