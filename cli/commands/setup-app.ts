import type { SetupAppResult } from '../../shared/common/entra/setup-app';
import { defineCommand } from '../cli-command';
import { UsageError } from '../cli-io';
import { flag, requiredText, text, wholeNumber } from '../cli-options';
import { endpointsFromOptions, entraEndpointOptions } from '../entra-endpoint-options';
import { jsonOption } from '../json-option';
import { printResult } from '../print-result';
import { readCliSettings } from '../settings-defaults';
import { signInPromptContext } from '../sign-in-prompts';
import { contextWithTrust, noSystemTrustOption } from '../system-trust-flag';

function summary(result: SetupAppResult): string {
  const { test } = result;
  return [
    `OK: registered "${result.displayName}" in ${test.organization} and saved it as a certificate connection`,
    `App (client) id:      ${result.appId}`,
    `Object id:            ${result.objectId}`,
    `Service principal id: ${result.servicePrincipalId}`,
    `Certificate:          ${result.certificateThumbprint} (SHA-1), valid until ${result.notAfter}`,
    `Permissions:          ${result.permissions.join(', ')} (admin consent granted)`,
    `Connection:           ${result.connectionId}`,
    `Test:                 signed in to ${test.organization} (tenant ${test.tenantId}) with the certificate in ${test.durationMs} ms`,
    ...(result.resumed ? ['Resumed an earlier setup that had stopped: nothing was registered twice.'] : []),
    ...test.warnings.map((warning) => `Warning: ${warning}`),
    '',
  ].join('\n');
}

export const entraSetupAppCommand = defineCommand({
  words: ['entra', 'setup-app'],
  summary:
    'Register an app with a new certificate in the tenant, grant it the permissions the test needs, and save it as a connection.',
  help: `An administrator signs in once (--browser, the default, or --device-code) with the delegated
permissions Application.ReadWrite.All and AppRoleAssignment.ReadWrite.All. The private key is made
here and stays in the data folder, sealed; it is never printed. A setup that stopped (an error,
Ctrl+C) continues where it stopped when run again for the same --domain: no second application is
registered. "aad setup-app" is the same command.`,
  options: {
    domain: requiredText('--domain <domain>', 'the tenant domain, e.g. contoso.com'),
    browser: flag('--browser', 'the administrator signs in in the system browser (the default)'),
    noBrowser: flag('--no-browser', 'browser sign-in, printing the address to open instead of opening it'),
    deviceCode: flag('--device-code', 'the administrator signs in with a code in any browser'),
    user: text('--user <upn>', 'the administrator, suggested on the sign-in page'),
    name: text('--name <name>', 'the application’s name (default: "Connection Utility – <host name>")'),
    connectionName: text(
      '--connection-name <name>',
      'the saved connection’s name (default: "<domain> (Microsoft 365)")',
    ),
    years: wholeNumber('--years <n>', 'how many years the certificate is valid: 1 (default) or 2', 2),
    ...entraEndpointOptions,
    timeoutMs: wholeNumber('--timeout-ms <ms>', 'the time limit of each call and of the sign-in'),
    discardPending: flag(
      '--discard-pending',
      'forget an unfinished setup of --domain (made for other hosts) and start anew; delete its app in Entra',
    ),
    noSystemTrust: noSystemTrustOption('--ca'),
    json: jsonOption,
  },
  async run(values, context) {
    const { io, router } = context;
    if (values.deviceCode && (values.browser || values.noBrowser))
      throw new UsageError('choose one sign-in: --browser (the default) or --device-code');
    const settings = await readCliSettings(context);
    if (!settings.ok) return printResult(settings, values.json, io, () => '');
    const endpoints = await endpointsFromOptions(values, settings.value.microsoftOnline);
    let lastStep = '';
    const result = await router.invoke(
      'entra:setupApp',
      {
        operationId: `cli-setup-${process.pid}`,
        domain: values.domain,
        signIn: values.deviceCode ? 'deviceCode' : 'browser',
        ...(values.user === undefined ? {} : { userPrincipalName: values.user }),
        ...(values.name === undefined ? {} : { name: values.name }),
        ...(values.connectionName === undefined ? {} : { connectionName: values.connectionName }),
        ...(values.years === undefined ? {} : { years: values.years }),
        ...endpoints,
        ...(values.timeoutMs ? { timeoutMs: values.timeoutMs } : {}),
        ...(values.discardPending ? { discardPending: true } : {}),
      },
      contextWithTrust(
        values.noSystemTrust,
        signInPromptContext(io, {
          noBrowser: values.noBrowser,
          toSignIn: 'To sign in as an administrator',
          // Progress is for a person too: stderr, even with --json.
          onProgress: (payload) => {
            if (payload.step === lastStep) return;
            lastStep = payload.step;
            io.stderr(`[${payload.done + 1}/${payload.total ?? payload.done + 1}] ${payload.step}\n`);
          },
        }),
      ),
    );
    return printResult(result, values.json, io, summary);
  },
});
