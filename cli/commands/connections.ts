import { writeFile } from 'node:fs/promises';
import type { ConnectionView } from '../../shared/common/connections/connection';
import {
  connectionDomain,
  connectionKindLabel,
  hasStoredSecret,
} from '../../shared/common/connections/describe-connection';
import type { ImportReport } from '../../shared/common/connections/transfer';
import { AppErrorCode } from '../../shared/common/errors/error-codes';
import { defineCommand } from '../cli-command';
import { ExitCode } from '../cli-io';
import { flag, requiredText, text } from '../cli-options';
import { formatTable } from '../format-table';
import { jsonOption } from '../json-option';
import { printResult } from '../print-result';
import { readJsonFile } from '../read-json-file';

function lastTestOf(connection: ConnectionView): string {
  if (!connection.lastTest) return 'never tested';
  return `${connection.lastTest.ok ? 'passed' : 'failed'} ${connection.lastTest.at}`;
}

export const connectionsListCommand = defineCommand({
  words: ['connections', 'list'],
  summary: 'List the stored connections (never their secrets).',
  options: { json: jsonOption },
  async run({ json }, { io, router }) {
    return printResult(await router.invoke('connections:list', {}), json, io, ({ connections, notice }) => {
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
    });
  },
});

export const connectionsExportCommand = defineCommand({
  words: ['connections', 'export'],
  summary: 'Write the connections as JSON (to stdout or --file); secrets are never exported.',
  options: {
    file: text('--file <file>', 'write the export to this file (mode 0600) instead of stdout'),
    json: flag('--json', 'with --file, print { file, connections } as JSON (the export is JSON anyway)'),
  },
  async run({ file, json }, { io, router }) {
    const result = await router.invoke('connections:export', {});
    if (!result.ok || file === undefined) {
      // The export is JSON whichever way it is printed.
      return printResult(result, true, io, () => '');
    }
    await writeFile(file, `${JSON.stringify(result.value, null, 2)}\n`, { mode: 0o600 });
    const summary = { file, connections: result.value.connections.length };
    io.stdout(
      json
        ? `${JSON.stringify(summary, null, 2)}\n`
        : `Exported ${summary.connections} connection(s) to ${file}. Secrets are not included.\n`,
    );
    return ExitCode.ok;
  },
});

export const connectionsImportCommand = defineCommand({
  words: ['connections', 'import'],
  summary: 'Add the connections of an export file; exits 1 if any entry was skipped.',
  options: {
    file: requiredText('--file <file>', 'an export file (from "connections export" or Export...)'),
    json: jsonOption,
  },
  async run({ file, json }, { io, router }) {
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
});
