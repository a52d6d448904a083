import { writeFile } from 'node:fs/promises';
import type { ConnectionView } from '../../shared/common/connections/connection';
import {
  connectionDomain,
  connectionKindLabel,
  hasStoredSecret,
} from '../../shared/common/connections/describe-connection';
import type { ImportReport } from '../../shared/common/connections/transfer';
import { AppErrorCode } from '../../shared/common/errors/error-codes';
import type { CliCommand } from '../cli-command';
import { ExitCode, UsageError } from '../cli-io';
import { formatTable } from '../format-table';
import { printResult } from '../print-result';
import { readJsonFile } from '../read-json-file';

function lastTestOf(connection: ConnectionView): string {
  if (!connection.lastTest) return 'never tested';
  return `${connection.lastTest.ok ? 'passed' : 'failed'} ${connection.lastTest.at}`;
}

export const connectionsListCommand: CliCommand = {
  words: ['connections', 'list'],
  summary: 'List the stored connections (never their secrets).',
  usage: 'connections list [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, { io, router }) {
    return printResult(
      await router.invoke('connections:list', {}),
      args.values.json === true,
      io,
      ({ connections, notice }) => {
        const lines = connections.length
          ? formatTable([
              ['NAME', 'KIND', 'DOMAIN', 'SECRET', 'LAST TEST', 'ID'],
              ...connections.map((c) => [
                c.name,
                connectionKindLabel[c.kind],
                connectionDomain(c),
                hasStoredSecret(c)
                  ? 'stored'
                  : c.kind === 'microsoftOnline' && c.authMode === 'deviceCode'
                    ? 'not needed'
                    : 'needed',
                lastTestOf(c),
                c.id,
              ]),
            ])
          : 'No connections yet.';
        const label = notice?.code === AppErrorCode.storeMigrated ? 'Note' : 'Warning';
        return `${notice ? `${label}: ${notice.message} ${notice.hint ?? ''}\n` : ''}${lines}\n`;
      },
    );
  },
};

export const connectionsExportCommand: CliCommand = {
  words: ['connections', 'export'],
  summary: 'Write the connections as JSON (to stdout or --file); secrets are never exported.',
  usage: 'connections export [--file FILE] [--json]',
  options: { file: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { io, router }) {
    const result = await router.invoke('connections:export', {});
    const file = args.values.file;
    if (!result.ok || typeof file !== 'string') {
      // The export is JSON whichever way it is printed.
      return printResult(result, true, io, () => '');
    }
    await writeFile(file, `${JSON.stringify(result.value, null, 2)}\n`, { mode: 0o600 });
    const summary = { file, connections: result.value.connections.length };
    io.stdout(
      args.values.json === true
        ? `${JSON.stringify(summary, null, 2)}\n`
        : `Exported ${summary.connections} connection(s) to ${file}. Secrets are not included.\n`,
    );
    return ExitCode.ok;
  },
};

export const connectionsImportCommand: CliCommand = {
  words: ['connections', 'import'],
  summary: 'Add the connections of an export file; exits 1 if any entry was skipped.',
  usage: 'connections import --file FILE [--json]',
  options: { file: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { io, router }) {
    const file = args.values.file;
    if (typeof file !== 'string') throw new UsageError('connections import needs --file FILE');
    const json = args.values.json === true;
    const document = await readJsonFile(file);
    if (!document.ok) return printResult(document, json, io, () => '');
    const result = await router.invoke('connections:import', { document: document.value });
    const code = printResult(result, json, io, (report: ImportReport) =>
      [
        `Imported ${report.imported.length} connection(s); skipped ${report.skipped.length}.`,
        ...report.skipped.map(
          (skip) =>
            `  skipped #${skip.index}${skip.name ? ` (${skip.name})` : ''}: ${skip.reasons.join('; ')}`,
        ),
        report.imported.length
          ? 'Re-enter the password or secret of each imported connection before testing it.'
          : '',
        '',
      ]
        .filter((line, index, lines) => line || index === lines.length - 1)
        .join('\n'),
    );
    return result.ok && result.value.skipped.length > 0 ? ExitCode.checkFailed : code;
  },
};
