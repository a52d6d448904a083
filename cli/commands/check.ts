import type { ConnectionView } from '../../shared/common/connections/connection';
import { connectionDomain, connectionKindLabel } from '../../shared/common/connections/describe-connection';
import {
  type CredentialExpiry,
  credentialKindLabel,
  defaultWarnDays,
  describeDaysLeft,
  type ExpiryStateName,
  judgeExpiries,
} from '../../shared/common/connections/expiry';
import { defineCommand } from '../cli-command';
import { ExitCode } from '../cli-io';
import { flag, wholeNumber } from '../cli-options';
import { formatTable } from '../format-table';
import { jsonOption } from '../json-option';
import { printResult } from '../print-result';

export interface CheckedExpiry {
  what: CredentialExpiry['what'];
  label: string;
  source: string;
  notAfter: CredentialExpiry['notAfter'];
  state: ExpiryStateName;
  daysLeft: number | null;
  note?: string;
  checkedAt: string;
}

export interface CheckedConnection {
  id: string;
  name: string;
  kind: ConnectionView['kind'];
  domain: string;
  /** Every recorded expiry, the one needing attention first. */
  expiries: CheckedExpiry[];
  lastTest: ConnectionView['lastTest'] | null;
  /** Something of it expires within the window, or has expired. */
  expiring: boolean;
}

export interface CheckReport {
  withinDays: number;
  checkedAt: string;
  /** False when the command exits 1. */
  ok: boolean;
  connections: CheckedConnection[];
}

/** Every connection's expiries judged against a window of `withinDays` days from `now`. */
export function checkConnections(
  connections: readonly ConnectionView[],
  withinDays: number,
  now: Date,
  includeTests: boolean,
): CheckReport {
  const checked = connections.map((connection): CheckedConnection => {
    const expiries = judgeExpiries(connection.expiries, now, withinDays).map(
      ({ credential, state, daysLeft }): CheckedExpiry => ({
        what: credential.what,
        label: credentialKindLabel[credential.what],
        source: credential.source,
        notAfter: credential.notAfter,
        state,
        daysLeft,
        ...(credential.note ? { note: credential.note } : {}),
        checkedAt: credential.checkedAt,
      }),
    );
    return {
      id: connection.id,
      name: connection.name,
      kind: connection.kind,
      domain: connectionDomain(connection),
      expiries,
      lastTest: connection.lastTest ?? null,
      expiring: expiries.some((expiry) => expiry.state === 'warning' || expiry.state === 'expired'),
    };
  });
  const failed = includeTests && checked.some((connection) => connection.lastTest?.ok === false);
  return {
    withinDays,
    checkedAt: now.toISOString(),
    ok: !checked.some((connection) => connection.expiring) && !failed,
    connections: checked,
  };
}

function soonestCell(connection: CheckedConnection): string {
  const [first] = connection.expiries;
  if (!first) return 'unknown: nothing recorded yet (test the connection)';
  const when = describeDaysLeft(first, first.notAfter);
  const date = first.notAfter && first.notAfter !== 'never' ? ` (${first.notAfter.slice(0, 10)})` : '';
  return `${first.label}: ${when}${date}`;
}

function lastTestCell(connection: CheckedConnection): string {
  const test = connection.lastTest;
  if (!test) return 'never tested';
  return `${test.ok ? 'passed' : 'FAILED'} ${test.at}`;
}

function humanReport(report: CheckReport, includeTests: boolean): string {
  if (!report.connections.length) return 'No connections yet.\n';
  const table = formatTable([
    ['NAME', 'KIND', 'SOONEST EXPIRY', 'LAST TEST'],
    ...report.connections.map((connection) => [
      connection.name,
      connectionKindLabel[connection.kind],
      soonestCell(connection),
      lastTestCell(connection),
    ]),
  ]);
  const expiring = report.connections.flatMap((connection) =>
    connection.expiries
      .filter((expiry) => expiry.state === 'warning' || expiry.state === 'expired')
      .map(
        (expiry) =>
          `  ${connection.name}: ${expiry.label} (${expiry.source}) ${describeDaysLeft(expiry, expiry.notAfter)}${expiry.notAfter && expiry.notAfter !== 'never' ? ` (${expiry.notAfter})` : ''}`,
      ),
  );
  const failed = report.connections
    .filter((connection) => connection.lastTest?.ok === false)
    .map(
      (connection) =>
        `  ${connection.name}: ${connection.lastTest?.code ?? 'failed'} at ${connection.lastTest?.at}: ${connection.lastTest?.summary}`,
    );
  return [
    table,
    '',
    expiring.length
      ? `Expires within ${report.withinDays} days or has expired:\n${expiring.join('\n')}`
      : `OK: nothing recorded expires within ${report.withinDays} days.`,
    ...(failed.length
      ? [
          `Last test failed${includeTests ? '' : ' (not counted in the exit code without --include-tests)'}:\n${failed.join('\n')}`,
        ]
      : []),
    '',
  ].join('\n');
}

export const connectionsCheckCommand = defineCommand({
  words: ['connections', 'check'],
  summary: 'Every connection’s credential expiry and last test; exits 1 when something expires soon.',
  help: `Expiries are what the app last learned: a certificate connection's certificate when saved; a client
secret, a service account's password and a DC's certificate at the last test; an agent's certificate
at the last contact. Unknown ones are listed, never counted. Exits 1 when anything expires within
--within-days (default ${defaultWarnDays}) or has expired; with --include-tests also when a last test failed.`,
  options: {
    withinDays: wholeNumber(
      '--within-days <days>',
      `the warning window in days (default ${defaultWarnDays})`,
      3650,
    ),
    includeTests: flag('--include-tests', 'also exit 1 when the last test of a connection failed'),
    json: jsonOption,
  },
  async run({ withinDays, includeTests, json }, { io, router }) {
    const listed = await router.invoke('connections:list', {});
    if (!listed.ok) return printResult(listed, json, io, () => '');
    const report = checkConnections(
      listed.value.connections,
      withinDays ?? defaultWarnDays,
      new Date(),
      includeTests,
    );
    io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : humanReport(report, includeTests));
    return report.ok ? ExitCode.ok : ExitCode.checkFailed;
  },
});
