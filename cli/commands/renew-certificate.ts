import { randomUUID } from 'node:crypto';
import type { RenewCertificateReport } from '../../shared/common/connections/expiry-renewal';
import type { CliContext } from '../cli-command';
import { defineCommand } from '../cli-command';
import { ExitCode, UsageError } from '../cli-io';
import { requiredText, text, wholeNumber } from '../cli-options';
import { jsonOption } from '../json-option';
import { printResult } from '../print-result';
import { contextWithTrust, noSystemTrustOption } from '../system-trust-flag';

/** The certificate connection of a tenant domain (a domain may also have a secret or password connection). */
async function certificateConnectionOf(domain: string, { router }: CliContext) {
  const listed = await router.invoke('connections:list', {});
  const online = listed.ok
    ? listed.value.connections.filter(
        (connection) =>
          connection.kind === 'microsoftOnline' && connection.tenantDomain === domain.toLowerCase(),
      )
    : [];
  const found =
    online.find(
      (connection) => connection.kind === 'microsoftOnline' && connection.authMode === 'certificate',
    ) ?? online[0];
  if (!found)
    throw new UsageError(`there is no Microsoft Online connection for ${domain} (see "connections list")`);
  return found;
}

function humanReport(report: RenewCertificateReport): string {
  return [
    `OK: the certificate of app ${report.appId} (object ${report.objectId}) was renewed.`,
    `New certificate: ${report.newThumbprint}, valid until ${report.notAfter}`,
    `Old certificate: ${report.oldThumbprint}, ${report.removedOld ? 'removed from the app' : 'STILL REGISTERED'}`,
    `Remote Agents updated: ${report.agentsUpdated.join(', ') || 'none'}`,
    ...report.agentsNotUpdated.map((agent) => `NOT updated: ${agent.url}: ${agent.reason}`),
    ...(report.oldKeyNote ? [`Next step: ${report.oldKeyNote}`] : []),
    '',
  ].join('\n');
}

export const entraRenewCertificateCommand = defineCommand({
  words: ['entra', 'renew-certificate'],
  summary: 'Renew a certificate connection’s app certificate: addKey, sign-in, save, agents, removeKey.',
  help: `A new key pair and certificate are registered on the app with a proof signed by the current
key. The old certificate is removed only once the new one signed in, was saved, and every Remote
Agent holding the domain has it. Exits 1 when something was left to do (an agent not updated, the
old certificate still registered), and says what. "aad renew-certificate" is the same command.`,
  options: {
    domain: requiredText('--domain <domain>', 'the tenant domain of a stored certificate connection'),
    objectId: text(
      '--object-id <id>',
      "the app's object id, when the app may not read its own application (Application.Read.All)",
    ),
    days: wholeNumber('--days <days>', 'how long the new certificate is valid (30-730, default 365)', 730),
    noSystemTrust: noSystemTrustOption(''),
    json: jsonOption,
  },
  async run(values, context) {
    const { io, router } = context;
    if (values.days !== undefined && values.days < 30) throw new UsageError('--days must be at least 30');
    const connection = await certificateConnectionOf(values.domain, context);
    const operationId = randomUUID();
    const result = await router.invoke(
      'entra:renewCertificate',
      {
        connectionId: connection.id,
        operationId,
        ...(values.objectId ? { objectId: values.objectId } : {}),
        ...(values.days ? { validityDays: values.days } : {}),
      },
      contextWithTrust(values.noSystemTrust, {
        // Progress is for a person: on stderr, and not with --json.
        emit: (_event, payload) => {
          if (!values.json && 'step' in payload && payload.total && payload.done < payload.total)
            io.stderr(`[${payload.done + 1}/${payload.total}] ${payload.step}\n`);
        },
      }),
    );
    const code = printResult(result, values.json, io, humanReport);
    if (result.ok && (!result.value.removedOld || result.value.agentsNotUpdated.length > 0))
      return ExitCode.checkFailed;
    return code;
  },
});
