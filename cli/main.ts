import { cliRouter } from './cli-router';
import { runCli } from './run-cli';
import { unexpectedErrorLine } from './unexpected-error';

// The CLI is a composition root like electron/main.ts: same router, same handlers, no window.
const router = cliRouter({
  onUnexpectedError: (error, facts) => process.stderr.write(unexpectedErrorLine(error, facts)),
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
