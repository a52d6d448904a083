import type { AppError } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';

// The shared errors' hints are written for the window ("choose Trust this certificate", "Settings → …"). On a
// terminal the next step is an option of the command: these replace the hint in the CLI's human output. --json
// keeps the AppError as the handlers made it (scripts match on its fields); undefined keeps the shared hint.

type CliHint = (error: AppError) => string | undefined;

const storeNotConsulted = (error: AppError) =>
  error.detail?.systemStoreTrusted === false
    ? " The operating system's certificate store was not consulted (--no-system-trust, or the app's" +
      ' Settings turn it off).'
    : '';

/** The routes file of "we register" is chosen with --routes on a terminal. */
const routesFileHint = (error: AppError) =>
  error.hint
    ?.replace('choose another file in Settings', 'pass another file with --routes FILE')
    .replace(
      'Check the path in Settings',
      'Check the path (--routes, CU_WORKFLOW_ENGINE_ROUTES or Settings)',
    );

const fingerprintOf = (error: AppError) =>
  typeof error.detail?.fingerprint === 'string' ? error.detail.fingerprint : '<SHA256>';

const hints: Partial<Record<string, CliHint>> = {
  [AppErrorCode.adTlsUntrusted]: (error) =>
    'Compare the fingerprint with the one on the domain controller, then re-run with ' +
    `--pin ${fingerprintOf(error)}, or with --ca FILE holding the issuing CA.${storeNotConsulted(error)}`,
  [AppErrorCode.agentCertificateUntrusted]: (error) =>
    'Compare the fingerprint with the one "connection-utility-agent fingerprint --data DIR" prints on the ' +
    `agent host, then re-run with --pin ${fingerprintOf(error)}, or with --ca FILE holding the issuing CA.` +
    storeNotConsulted(error),
  [AppErrorCode.agentCertificateChanged]: (error) =>
    'Run "connection-utility-agent fingerprint --data DIR" on the agent host. Only if it prints the new ' +
    `fingerprint, re-run with --pin ${fingerprintOf(error)} to trust it.`,
  [AppErrorCode.agentInsecureTransport]: () =>
    'Add --tls (the agent serves HTTPS on any address but loopback), or --insecure-http only on a network ' +
    'you trust.',
  [AppErrorCode.entraTlsUntrusted]: (error) =>
    'If a proxy inspects TLS, re-run with --ca FILE holding its CA (or add the CA to the operating ' +
    `system's certificate store); otherwise check --authority-host and --graph-host.${storeNotConsulted(error)}`,
  [AppErrorCode.adHostNotFound]: () =>
    "Check the spelling of --host, add --dns-server with the domain's DNS server, or use the domain " +
    "controller's IP address.",
  [AppErrorCode.adTlsFailed]: () => 'Use --tls ldaps with port 636, or --tls starttls with port 389.',
  [AppErrorCode.adSslRequired]: () => 'Use --tls ldaps (port 636) or --tls starttls (port 389).',
  [AppErrorCode.adConnectionLost]: () =>
    'Check --port and --tls (ldaps on 636, starttls on 389), then retry.',
  [AppErrorCode.entraMfaRequired]: (error) =>
    `${error.hint?.includes('aka.ms/mfasetup') ? 'Sign in once at https://aka.ms/mfasetup, then re-run' : 'Re-run'}` +
    ' with --browser for this account, or sign in as an app with --client-id, --cert and --key.',
  [AppErrorCode.entraBlockedByConditionalAccess]: (error) =>
    error.detail?.mode === 'deviceCode'
      ? 'Re-run with --browser instead of --device-code: it passes multi-factor authentication and ' +
        'Conditional Access.'
      : undefined,
  [AppErrorCode.agentUnauthorized]: () =>
    "Pipe the agent's API key (the api-key file in its data folder) to --api-key-stdin.",
  // "agent update --host/--port" naming another agent than the one saved with the connection.
  [AppErrorCode.secretDestinationNotBound]: (error) =>
    error.hint?.includes('Update Remote Agent')
      ? 'Leave out --host and --port to use the Remote Agent saved with the connection; another agent needs ' +
        'the connection saved with it in the app, its secret typed again.'
      : undefined,
  [AppErrorCode.weUnknownConnection]: () =>
    'Create the Microsoft Online connection in the app first, or import it with "connections import".',
  [AppErrorCode.weRoutesInvalid]: (error) => routesFileHint(error),
  [AppErrorCode.weRoutesIoFailed]: (error) => routesFileHint(error),
  [AppErrorCode.settingsInvalid]: (error) =>
    error.message.includes('damaged')
      ? "Open the app's Settings and Save (the damaged settings.json is kept aside), or move settings.json " +
        'out of the data folder.'
      : undefined,
  [AppErrorCode.inputInvalid]: (error) => {
    // The router's refusal of a request names the fields; on a terminal they came from the options.
    if (error.detail?.channel) return 'Check the options behind the fields named above.';
    return error.hint?.replace('Export...', '"connections export" (or the app\'s Export...)');
  },
};

/** The next step to print on a terminal for `error`. */
export function cliHint(error: AppError): string | undefined {
  return hints[error.code]?.(error) ?? error.hint;
}
