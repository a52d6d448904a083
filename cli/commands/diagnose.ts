import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { ConnectionView } from '../../shared/common/connections/connection';
import type { HandlerContext } from '../../shared/node/ipc/router';
import { type CliContext, defineCommand } from '../cli-command';
import { ExitCode, UsageError } from '../cli-io';
import { flag, oneOf, repeated, text } from '../cli-options';
import { jsonOption } from '../json-option';
import { printResult } from '../print-result';
import { contextWithTrust, noSystemTrustOption } from '../system-trust-flag';
import { anyStageFailed, diagnosisText } from './diagnose-text';

const kinds = { ad: 'activeDirectory', entra: 'microsoftOnline' } as const;
type KindWord = keyof typeof kinds;

const domainOf = (connection: ConnectionView) =>
  connection.kind === 'activeDirectory' ? connection.domain : connection.tenantDomain;

const kindWordOf = (connection: ConnectionView): KindWord =>
  connection.kind === 'activeDirectory' ? 'ad' : 'entra';

/** The stored connections as a usage error lists them: what --domain and --kind would select each. */
function listing(connections: readonly ConnectionView[]): string {
  if (connections.length === 0) return '\nThere are no stored connections.';
  return `\nStored connections:\n${connections
    .map(
      (connection) =>
        `  --domain ${domainOf(connection)} --kind ${kindWordOf(connection)}  (${connection.name})`,
    )
    .join('\n')}`;
}

async function storedConnections({ router }: CliContext): Promise<ConnectionView[]> {
  const listed = await router.invoke('connections:list', {});
  if (!listed.ok) throw new UsageError(`the stored connections could not be read: ${listed.error.message}`);
  return listed.value.connections;
}

/** The connections of `domain` (of `kind`, when given): AD domain or tenant domain, in any letter case. */
function matching(all: readonly ConnectionView[], domain: string, kind: KindWord | undefined) {
  const wanted = domain.trim().toLowerCase().replace(/\.$/, '');
  return all.filter(
    (connection) =>
      domainOf(connection).toLowerCase() === wanted &&
      (kind === undefined || connection.kind === kinds[kind]),
  );
}

/** Exactly one connection, or a usage error that lists what there is. */
function oneConnectionOf(all: readonly ConnectionView[], domain: string, kind: KindWord | undefined) {
  const found = matching(all, domain, kind);
  if (found.length === 1 && found[0]) return found[0];
  const problem =
    found.length === 0
      ? `there is no stored connection for ${domain}${kind ? ` of kind ${kind}` : ''}`
      : `${domain} names ${found.length} connections: add --kind ad or --kind entra`;
  throw new UsageError(`${problem}${listing(found.length === 0 ? all : found)}`);
}

/** Progress is for a person: the export's steps on stderr, not with --json, not each stage. */
function progressOnStderr(json: boolean, context: CliContext): HandlerContext {
  return {
    emit: (_event, payload) => {
      if (json || !('step' in payload) || payload.diagnosis || payload.total === undefined) return;
      context.io.stderr(`[${Math.min(payload.done + 1, payload.total)}/${payload.total}] ${payload.step}\n`);
    },
  };
}

export const diagnoseCommand = defineCommand({
  words: ['diagnose'],
  summary: "Diagnose a connection stage by stage, or write a support bundle of the connections' diagnoses.",
  help:
    'Examples:\n' +
    '  diagnose --domain contoso.com                  the stages from this computer, as a waterfall\n' +
    '  diagnose --domain contoso.com --agent --json   also the Remote Agent and its host, as JSON\n' +
    '  diagnose --bundle support.zip                  every connection, in one zip for support\n' +
    'Exit status 1 when any stage fails. The bundle holds no password, secret, private key or API key.',
  options: {
    domain: repeated(
      '--domain <domain>',
      "the connection's domain (AD domain or tenant domain); with --bundle, each one to include",
    ),
    kind: oneOf('--kind <kind>', 'which connection of a domain that has both kinds', [
      'ad',
      'entra',
    ] as const),
    agent: flag(
      '--agent',
      "also probe the connection's Remote Agent and run the Microsoft Online stages on its host",
    ),
    bundle: text(
      '--bundle <file>',
      'write a support bundle (zip): the last diagnosis of every connection (or of each --domain)',
    ),
    noSystemTrust: noSystemTrustOption(''),
    json: jsonOption,
  },
  async run(values, context) {
    const { io, router } = context;
    if (values.bundle === undefined) {
      const [domain, ...more] = values.domain;
      if (domain === undefined) throw new UsageError('diagnose needs --domain DOMAIN, or --bundle FILE');
      if (more.length > 0) throw new UsageError('diagnose takes one --domain; several only with --bundle');
      const connection = oneConnectionOf(await storedConnections(context), domain, values.kind);
      const result = await router.invoke(
        'diagnostics:run',
        { connectionId: connection.id, agent: values.agent },
        contextWithTrust(values.noSystemTrust),
      );
      if (!result.ok) return printResult(result, values.json, io, () => '');
      io.stdout(values.json ? `${JSON.stringify(result.value, null, 2)}\n` : diagnosisText(result.value));
      return anyStageFailed(result.value) ? ExitCode.checkFailed : ExitCode.ok;
    }

    const all = await storedConnections(context);
    const selected =
      values.domain.length === 0
        ? all.filter((connection) => values.kind === undefined || connection.kind === kinds[values.kind])
        : values.domain.flatMap((domain) => {
            const found = matching(all, domain, values.kind);
            if (found.length === 0)
              throw new UsageError(`there is no stored connection for ${domain}${listing(all)}`);
            return found;
          });
    if (selected.length === 0) throw new UsageError(`there is nothing to diagnose${listing(all)}`);
    const result = await router.invoke(
      'diagnostics:exportBundle',
      {
        connectionIds: [...new Set(selected.map((connection) => connection.id))],
        agent: values.agent,
        operationId: randomUUID(),
      },
      contextWithTrust(values.noSystemTrust, {
        ...progressOnStderr(values.json, context),
        // The admin's own choice on the command line, relative to where it was typed: beside the request, where
        // no window can put a path.
        host: { bundleFile: resolve(values.bundle) },
      }),
    );
    return printResult(result, values.json, io, (done) =>
      done.saved
        ? `OK: wrote ${done.file} (${done.bytes.toLocaleString('en-US')} bytes):\n${done.entries.map((entry) => `  ${entry}\n`).join('')}`
        : 'Nothing was written.\n',
    );
  },
});
