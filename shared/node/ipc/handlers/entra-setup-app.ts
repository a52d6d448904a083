import { hostname } from 'node:os';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { entraDestinationOf } from '../../connections/secret-binding';
import type { BrowserOpener } from '../../entra/browser-sign-in';
import { setUpCertificateSignIn } from '../../entra/setup-app/set-up-certificate-sign-in';
import { setupAlreadyRunning } from '../../entra/setup-app/setup-errors';
import { storedJournals } from '../../entra/setup-app/setup-journal';
import { tenantTestInput } from '../../entra/tenant-test-input';
import { testTenant } from '../../entra/test-tenant';
import { readSettings } from '../../settings/settings-file';
import type { Handlers } from '../router';
import type { Caller } from './create-handlers';
import { recordTestOutcome } from './record-test-outcome';
import type { SystemTrust } from './system-trust';

export interface SetupAppHandlerDependencies {
  stores: ConnectionStoreProvider;
  systemTrust: SystemTrust;
  openBrowser: BrowserOpener;
  /** Main's data folder: Settings' Remote Agent is read from it for the new connection. */
  userDataDir: string;
  /** Who asked: the setup's test is the wizard's in the window, the admin's own command in the terminal. */
  caller: Caller;
}

/**
 * entra:setupApp: "Set up certificate sign-in for me". Progress goes out as one `progress` event per step (with
 * the device code or the browser address while the administrator signs in); operation:cancel stops it. The
 * private key stays here: in the store, sealed, and never in a response or an event.
 */
export function createEntraSetupAppHandler(
  deps: SetupAppHandlerDependencies,
): Pick<Handlers, 'entra:setupApp'> {
  // Domains whose setup runs now. Two at once (a double click, two windows, a hostile window) would each make a
  // certificate and register an application; the journal only orders attempts one after another.
  const running = new Set<string>();
  return {
    async 'entra:setupApp'(request, context) {
      const domain = request.domain.toLowerCase();
      if (running.has(domain)) throw setupAlreadyRunning(request.domain);
      running.add(domain);
      try {
        return await setUp(request, context);
      } finally {
        running.delete(domain);
      }
    },
  };

  async function setUp(
    request: Parameters<Handlers['entra:setupApp']>[0],
    context: Parameters<Handlers['entra:setupApp']>[1],
  ) {
    const store = await deps.stores.forWriting();
    const trustSystemStore = await deps.systemTrust(context);
    return setUpCertificateSignIn(request, {
      journals: storedJournals(store),
      connections: {
        find: async (id) => {
          try {
            return store.get(id);
          } catch (error) {
            if (error instanceof AppFailure && error.appError.code === AppErrorCode.connectionsNotFound)
              return null;
            throw error;
          }
        },
        save: (saveRequest, application) => store.save(saveRequest, { application }),
      },
      defaultRemoteAgent: async () => (await readSettings(deps.userDataDir)).remoteAgent,
      test: (connectionId) =>
        recordTestOutcome(
          {
            stores: deps.stores,
            connectionId,
            source: deps.caller === 'terminal' ? 'cli' : 'wizard',
            summarize: (result) =>
              `${result.user} signed in to ${result.organization} with its new certificate`,
          },
          async () => {
            // The connection as stored, with its sealed key: the test proves what was saved, not what was meant.
            const { connection, secret } = await store.boundSecret(connectionId);
            if (connection.kind !== 'microsoftOnline' || secret === null)
              throw new AppFailure({
                code: AppErrorCode.entraMissingSecret,
                message: 'The saved connection has no private key to sign in with.',
                hint: 'Retry the setup: it saves the connection again with its key.',
              });
            return testTenant(
              tenantTestInput(entraDestinationOf(connection), secret, {
                trustSystemStore,
                timeoutMs: request.timeoutMs,
                ...(context.signal ? { signal: context.signal } : {}),
              }),
            );
          },
        ),
      // The CLI's --no-browser prints the address instead; no request can choose the opener.
      openBrowser: context.host?.openBrowser ?? deps.openBrowser,
      trustSystemStore,
      hostName: hostname(),
      ...(context.signal ? { signal: context.signal } : {}),
      onProgress: (progress) => context.emit('progress', { operationId: request.operationId, ...progress }),
    });
  }
}
