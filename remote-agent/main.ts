import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import type { AppLog } from '../shared/node/logs/create-log';
import { openPrivateFolder } from '../shared/node/storage/private-folder';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import {
  type AgentCertificate,
  certificateNames,
  ensureAgentCertificate,
  fingerprintOf,
  fullyQualifiedHostName,
} from './agent-certificate';
import { agentDataDir } from './agent-data-dir';
import { createAgentLog } from './agent-log';
import { AgentStore } from './agent-store';
import { loadApiKey } from './api-key';
import { failureSentence } from './failure-sentence';
import { runFingerprintCommand } from './fingerprint-command';
import { newKeyNotice, runKeyCommand } from './key-command';
import { checkServeFlags, serveFlagOptions } from './serve-flags';
import { buildAgent } from './server';
import { runServiceCommand } from './service-command';

// `npm run --silent agent -- [--host 127.0.0.1] [--port 40002] [--data DIR] [--tls [--tls-san NAME]...]…`

const usage =
  'Usage: agent [--host 127.0.0.1] [--port 40002] [--data DIR] [--tls] [--tls-san NAME]...\n' +
  '             [--tls-cert FILE --tls-key FILE] [--insecure-http] [--rotate-key] [--no-system-trust]\n' +
  '             [--allowed-host NAME]... [--help]\n' +
  '       agent key show [--data DIR]\n' +
  '       agent fingerprint [--data DIR]\n' +
  '       agent service install --data DIR [--port N] [--host ADDR] [--user NAME] [--print]\n' +
  '                             [--tls] [--tls-san NAME]... [--tls-cert FILE --tls-key FILE]\n' +
  '                             [--insecure-http] [--allowed-host NAME]...\n' +
  '       agent service uninstall [--print]\n' +
  '       agent service status\n';

const help = `${usage}
The Remote Agent: holds Microsoft Online connections for the identity-management server and signs\nin with them.

  --host ADDRESS      the address to listen on (default 127.0.0.1: this computer only;
                      0.0.0.0: every interface)
  --port N            the port (default 40002; 0 picks a free one)
  --data DIR          the data folder (default: CU_AGENT_DATA, else "Connection Utility Remote
                      Agent" beside the app's data folder)
  --tls               serve HTTPS with the agent's own certificate, made on first use in
                      <data>/tls (self-signed, 2 years, renewed when under 30 days remain).
                      Implied by any --host but loopback (127.0.0.0/8, ::1, localhost)
  --tls-san NAME      another name or address the own certificate covers (repeatable)
  --tls-cert FILE     serve HTTPS with this certificate (PEM), with --tls-key FILE its private key
  --insecure-http     serve plain HTTP on a non-loopback --host (warned at every start)
  --rotate-key        replace the API key (shown on a terminal only; else: key show --data DIR)
  --no-system-trust   do not trust the operating system's certificate store when signing in
  --allowed-host NAME answer only requests whose Host is NAME (repeatable; with loopback names over
                      loopback); any other gets 421, against DNS rebinding. Default: any Host
  --help              show this help

Once listening it prints one JSON line {"url","dataDir"} on stdout, with "certificateFingerprint"
(SHA-256) when serving HTTPS. Swagger: <url>/swagger.

  key show            print the API key
  fingerprint         print the SHA-256 fingerprint of the agent's own certificate again
  service install     start the agent at boot. Linux (as root): a hardened systemd unit, run as
                      --user (default connection-utility-agent). Windows: --print only, showing
                      the sc.exe lines. --print shows what it would install and changes nothing.
                      The service starts the agent with the serve options given (--tls, --tls-san,
                      --tls-cert/--tls-key, --insecure-http, --allowed-host), checked as above
  service uninstall   stop and remove the service (--print: show the commands instead)
  service status      the service's state (systemctl status)
`;

async function main(): Promise<void> {
  if (process.argv[2] === 'key') {
    process.exitCode = await runKeyCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'fingerprint') {
    process.exitCode = await runFingerprintCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'service') {
    process.exitCode = runServiceCommand(process.argv.slice(3));
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
  const checked = checkServeFlags(values.host, values);
  if (typeof checked === 'string') {
    process.stderr.write(`${checked}\n${usage}`);
    process.exit(2);
  }
  const { transport } = checked;
  const { allowedHosts } = checked.flags;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be 0-65535\n${usage}`);
    process.exit(2);
  }
  // On every start, not once: whoever reads the service's output must keep meeting it.
  if (transport.scheme === 'http' && transport.warning) process.stderr.write(`${transport.warning}\n`);
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
  let tls: { certFile: string; keyFile: string; fingerprint: string } | undefined;
  if (
    transport.scheme === 'https' &&
    transport.certificate === 'admin' &&
    values['tls-cert'] &&
    values['tls-key']
  )
    tls = {
      certFile: values['tls-cert'],
      keyFile: values['tls-key'],
      fingerprint: fingerprintOf(readFileSync(values['tls-cert'])),
    };
  else if (transport.scheme === 'https') {
    const names = certificateNames(values.host, values['tls-san'] ?? [], {
      hostname: hostname(),
      fqdn: await fullyQualifiedHostName(),
    });
    const own = await ensureAgentCertificate(dataDir, names);
    logCertificate(log, own, dataDir);
    tls = own;
  }
  const agent = await buildAgent({
    store,
    apiKey: key,
    ...(tls ? { tls: { certFile: tls.certFile, keyFile: tls.keyFile } } : {}),
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
  process.stdout.write(
    `${JSON.stringify({ url, dataDir, ...(tls ? { certificateFingerprint: tls.fingerprint } : {}) })}\n`,
  );

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

function logCertificate(log: Pick<AppLog, 'info' | 'warn'>, own: AgentCertificate, dataDir: string): void {
  const until = own.validTo.toISOString().slice(0, 10);
  if (own.outcome === 'created')
    log.info(
      { dataDir },
      `Created the agent's TLS certificate (valid until ${until}); clients must trust it anew.`,
    );
  else if (own.outcome === 'renewed')
    log.warn(
      { dataDir },
      `Renewed the agent's TLS certificate because ${own.reason ?? 'it was due'} (now valid until ${until}); ` +
        'its fingerprint changed, so clients must trust it anew.',
    );
}

function parse() {
  return parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '40002' },
      data: { type: 'string' },
      ...serveFlagOptions,
      'rotate-key': { type: 'boolean', default: false },
      'no-system-trust': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

main().catch((error: unknown) => {
  // A clear sentence, not a stack: e.g. store.locked while an older agent still writes agent-connections.json.
  const reason = failureSentence(error);
  process.stderr.write(`The Remote Agent could not start: ${reason}\n`);
  process.exit(1);
});
