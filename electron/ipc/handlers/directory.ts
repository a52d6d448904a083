import { AppFailure } from '../../../shared/common/errors/app-error';
import { AppErrorCode } from '../../../shared/common/errors/error-codes';
import type { ConnectionStoreProvider } from '../../../shared/node/connections/connection-store-provider';
import { discoverControllers } from '../../../shared/node/directory/discover-controllers';
import { testDirectory } from '../../../shared/node/directory/test-directory';
import type { OperationRegistry } from '../operations';
import type { RecentTests } from '../recent-tests';
import type { HandlerContext, Handlers } from '../router';
import { recordTestOutcome } from './record-test-outcome';

type DirectoryHandlers = Pick<
  Handlers,
  'ad:test' | 'ad:discoverControllers' | 'ad:trustCertificate' | 'operation:cancel'
>;

/** The password typed in the window, or else the one sealed with the connection. */
async function passwordFor(
  stores: ConnectionStoreProvider,
  typed: string | undefined,
  connectionId: string | undefined,
): Promise<string | null> {
  if (typed) return typed;
  if (!connectionId) return null;
  return (await stores.forReading()).readSecret(connectionId);
}

function progress(context: HandlerContext, operationId: string | undefined) {
  return (step: string, done: number, total: number) => {
    if (operationId) context.emit('progress', { operationId, step, done, total });
  };
}

export function createDirectoryHandlers(
  stores: ConnectionStoreProvider,
  operations: OperationRegistry,
  recent: RecentTests,
): DirectoryHandlers {
  return {
    async 'ad:test'(request, context) {
      if (request.target.tls === 'none' && !request.allowInsecure) {
        throw new AppFailure({
          code: AppErrorCode.adSslRequired,
          message: 'Plaintext LDAP is off unless "Allow insecure connection" is turned on.',
          hint: 'Turn on Enable SSL (LDAPS or StartTLS).',
        });
      }
      const password = await passwordFor(stores, request.password, request.connectionId);
      if (!password) {
        throw new AppFailure({
          code: AppErrorCode.adNoPassword,
          message: 'There is no password to test with.',
          hint: 'Enter the service account’s password on the General page.',
        });
      }
      return recordTestOutcome(
        {
          stores,
          connectionId: request.connectionId,
          unsaved: { recent, operationId: request.operationId, domains: () => null },
          summarize: (result) =>
            `Signed in to ${result.rootDse.dnsHostName ?? result.host} as ${result.boundAs}`,
        },
        () =>
          testDirectory({
            endpoint: request.target,
            trust: request.trust,
            bindUser: request.bindUser,
            password,
            timeoutMs: request.timeoutMs,
            ...(context.signal ? { signal: context.signal } : {}),
            onStep: progress(context, request.operationId),
          }),
      );
    },

    async 'ad:discoverControllers'(request, context) {
      const password = request.bindUser
        ? await passwordFor(stores, request.password, request.connectionId)
        : null;
      return discoverControllers({
        domain: request.domain,
        ...(request.dnsServer ? { dnsServer: request.dnsServer } : {}),
        ...(request.site ? { site: request.site } : {}),
        tls: request.tls,
        ...(request.port ? { port: request.port } : {}),
        trust: request.trust,
        ...(request.bindUser && password ? { credentials: { bindUser: request.bindUser, password } } : {}),
        timeoutMs: request.timeoutMs,
        ...(context.signal ? { signal: context.signal } : {}),
        onStep: progress(context, request.operationId),
      });
    },

    async 'ad:trustCertificate'({ connectionId, fingerprint }) {
      return (await stores.forWriting()).pinCertificate(connectionId, fingerprint);
    },

    async 'operation:cancel'({ cancels }) {
      return { cancelled: operations.cancel(cancels) };
    },
  };
}
