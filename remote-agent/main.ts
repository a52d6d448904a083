import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isAppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { openPrivateFolder } from '../shared/node/storage/private-folder';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { agentDataDir } from './agent-data-dir';
import { createAgentLog } from './agent-log';
import { AgentStore } from './agent-store';
import { allowedHostName } from './allowed-hosts';
import { loadApiKey } from './api-key';
import { newKeyNotice, runKeyCommand } from './key-command';
import { buildAgent } from './server';

// `npm run --silent agent -- [--host 127.0.0.1] [--port 40002] [--data DIR] [--tls-cert FILE --tls-key FILE] [--rotate-key] [--no-system-trust] [--allowed-host NAME]...`

const usage =
  'Usage: agent [--host 127.0.0.1] [--port 40002] [--data DIR] [--tls-cert FILE --tls-key FILE]\n' +
  '             [--rotate-key] [--no-system-trust] [--allowed-host NAME]... [--help]\n';

const help = `${usage}
The Remote Agent: holds Microsoft Online connections for the identity-management server and signs\nin with them.

  --host ADDRESS      the address to listen on (default 127.0.0.1: this computer only;
                      0.0.0.0: every interface)
  --port N            the port (default 40002; 0 picks a free one)
  --data DIR          the data folder (default: CU_AGENT_DATA, else "Connection Utility Remote
                      Agent" beside the app's data folder)
  --tls-cert FILE     serve HTTPS with this certificate (PEM), with --tls-key FILE its private key
  --rotate-key        replace the API key (shown on a terminal only; else: key show --data DIR)
  --no-system-trust   do not trust the operating system's certificate store when signing in
  --allowed-host NAME answer only requests whose Host is NAME (repeatable; with loopback names over
                      loopback); any other gets 421, against DNS rebinding. Default: any Host
  --help              show this help

Once listening it prints one JSON line {"url","dataDir"} on stdout. Swagger: <url>/swagger.
`;

async function main(): Promise<void> {
  if (process.argv[2] === 'key') {
    process.exitCode = await runKeyCommand(process.argv.slice(3));
    return;
  }
  let values: ReturnType<typeof parse>;
  try {
    values = parse();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(help);
    process.exit(0);
  }
  const allowedHosts: string[] = [];
  for (const value of values['allowed-host'] ?? []) {
    const name = allowedHostName(value);
    if (name === null) {
      process.stderr.write(`--allowed-host takes a host name without port or scheme: ${value}\n${usage}`);
      process.exit(2);
    }
    allowedHosts.push(name);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be 0-65535\n${usage}`);
    process.exit(2);
  }
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
    process.stderr.write(`--tls-cert and --tls-key go together\n${usage}`);
    process.exit(2);
  }
  const dataDir = agentDataDir(values.data);
  await openPrivateFolder(dataDir);
  const { key, created } = await loadApiKey(dataDir, values['rotate-key'] === true);
  if (created) {
    // Shown once, and only on a terminal: a service's stderr is a log. Otherwise `key show` prints it.
    process.stderr.write(newKeyNotice(dataDir, key, process.stderr.isTTY === true));
  }
  const log = await createAgentLog(dataDir);
  const store = await AgentStore.open(dataDir, await KeyFileVault.open(dataDir));
  // A damaged store set aside, or agent-connections.json moved into the database: the admin must hear of it.
  for (const notice of store.notices) {
    const level = notice.code === AppErrorCode.storeMigrated ? 'info' : 'warn';
    log[level]({ code: notice.code, dataDir }, `${notice.message} ${notice.hint ?? ''}`.trim());
  }
  const agent = await buildAgent({
    store,
    apiKey: key,
    ...(values['tls-cert'] && values['tls-key']
      ? { tls: { certFile: values['tls-cert'], keyFile: values['tls-key'] } }
      : {}),
    log,
    // The sign-in of TestConnection trusts this host's certificate store unless the service is told otherwise.
    ...(values['no-system-trust'] === true ? { trustSystemStore: false } : {}),
    ...(allowedHosts.length ? { allowedHosts } : {}),
    // Bundled (the packaged agent), the Swagger UI's files sit beside this file.
    ...(existsSync(join(import.meta.dirname, 'swagger-ui', 'logo.svg'))
      ? { swaggerUiDir: join(import.meta.dirname, 'swagger-ui') }
      : {}),
  });
  const url = await agent.app.listen({ host: values.host, port });
  log.info({ url, dataDir }, 'Remote Agent listening');
  process.stdout.write(`${JSON.stringify({ url, dataDir })}\n`);

  const stop = () => {
    agent.shuttingDown();
    const force = setTimeout(() => process.exit(1), 10_000);
    void agent.app
      .close()
      .then(() => store.close())
      .finally(() => {
        clearTimeout(force);
        process.exit(0);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function parse() {
  return parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '40002' },
      data: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'rotate-key': { type: 'boolean', default: false },
      'no-system-trust': { type: 'boolean', default: false },
      'allowed-host': { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

main().catch((error: unknown) => {
  // A clear sentence, not a stack: e.g. store.locked while an older agent still writes agent-connections.json.
  const reason = isAppFailure(error)
    ? `${error.appError.message} ${error.appError.hint ?? ''}`.trim()
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`The Remote Agent could not start: ${reason}\n`);
  process.exit(1);
});
