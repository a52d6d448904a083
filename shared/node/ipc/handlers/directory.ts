import type {
  ActiveDirectoryConnection,
  CertificateTrust,
  DirectoryTarget,
} from '../../../common/connections/connection';
import type { AdTestResult } from '../../../common/directory/directory-test';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { recordExpiries } from '../../connections/expiry-recorder';
import { directoryTrustKey, targetKey } from '../../connections/secret-binding';
import { discoverControllers } from '../../directory/discover-controllers';
import { describesDirectory, directoryExpiries } from '../../directory/expiry-directory';
import type { PasswordExpiry } from '../../directory/expiry-password';
import { testDirectory } from '../../directory/test-directory';
import type { DiscoveredControllers } from '../evidence/discovered-controllers';
import { destinationNotBound, pinNotObserved } from '../evidence/not-bound';
import type { ObservedCertificates } from '../evidence/observed-certificates';
import type { OperationRegistry } from '../operations';
import type { RecentTests } from '../recent-tests';
import type { HandlerContext, Handlers } from '../router';
import type { Caller } from './create-handlers';
import { recordTestOutcome, testSourceOf } from './record-test-outcome';
import type { SystemTrust } from './system-trust';

type DirectoryHandlers = Pick<
  Handlers,
  'ad:test' | 'ad:discoverControllers' | 'ad:trustCertificate' | 'operation:cancel'
>;

export interface DirectoryDependencies {
  stores: ConnectionStoreProvider;
  operations: OperationRegistry;
  recent: RecentTests;
  certificates: ObservedCertificates;
  controllers: DiscoveredControllers;
  caller: Caller;
  /** Whether the system certificate store counts: main's settings (or the CLI's flag), never the request. */
  systemTrust: SystemTrust;
}

function progress(context: HandlerContext, operationId: string | undefined) {
  return (step: string, done: number, total: number) => {
    if (operationId) context.emit('progress', { operationId, step, done, total });
  };
}

const sslRequired = (message: string) =>
  new AppFailure({
    code: AppErrorCode.adSslRequired,
    message,
    hint: 'Turn on Enable SSL (LDAPS or StartTLS).',
  });

const noStoredPassword = () =>
  new AppFailure({
    code: AppErrorCode.adNoPassword,
    message:
      'There is no stored password to test with: none was saved, or the targets or trust changed since.',
    hint: 'Type the service account’s password on the General page.',
  });

const sameTrust = (a: CertificateTrust, b: CertificateTrust) => directoryTrustKey(a) === directoryTrustKey(b);

export function createDirectoryHandlers(deps: DirectoryDependencies): DirectoryHandlers {
  const { stores, operations, recent, certificates, controllers } = deps;

  /** The saved Active Directory connection and its password, when that password is still bound to it. */
  const stored = async (connectionId: string) => {
    const { connection, secret } = await (await stores.forReading()).boundSecret(connectionId);
    if (connection.kind !== 'activeDirectory') {
      throw new AppFailure({
        code: AppErrorCode.inputInvalid,
        message: 'That is not an Active Directory connection.',
        detail: { issues: ['connectionId: not an Active Directory connection'] },
      });
    }
    if (secret === null) throw noStoredPassword();
    return { connection, password: secret };
  };

  /**
   * A stored password goes only to a saved target of its connection, or to a DC main discovered itself for
   * that connection's domain and DNS server with its trust, and only with that saved trust, never in clear.
   */
  const checkStoredDestination = (
    connection: ActiveDirectoryConnection,
    target: DirectoryTarget,
    trust: CertificateTrust,
  ) => {
    if (target.tls === 'none') throw sslRequired('A stored password is never sent over plaintext LDAP.');
    const saved = connection.targets.some((t) => targetKey(t) === targetKey(target));
    const discovered = controllers.vouchesFor(
      { domain: connection.domain, dnsServer: connection.dnsServer, trust: connection.trust },
      target,
    );
    if (!saved && !discovered) {
      throw destinationNotBound(
        'password',
        `${target.host}:${target.port} is not one of its domain controllers`,
        'Type the password to test this target, or add it from Discover (which verifies it) and save.',
      );
    }
    if (!sameTrust(trust, connection.trust)) {
      throw destinationNotBound(
        'password',
        'the certificate trust in the request differs from the saved one',
        'Type the password to test with other trust settings.',
      );
    }
  };

  /** A stored password signs in only as the account it was saved for (no trying it on other accounts). */
  const checkBindUser = (connection: ActiveDirectoryConnection, bindUser: string | undefined) => {
    if (bindUser !== undefined && bindUser.toLowerCase() !== connection.bindUser.toLowerCase()) {
      throw destinationNotBound(
        'password',
        `it belongs to ${connection.bindUser}, not ${bindUser}`,
        'Type the password of the other account to test it.',
      );
    }
  };

  /** Pins the window sends must be certificates main saw (or ones already saved on the connection). */
  const checkPins = (
    pins: readonly string[],
    savedPins: readonly string[],
    seen: (pin: string) => boolean,
    where: string,
  ) => {
    if (deps.caller === 'terminal') return;
    const saved = new Set(savedPins.map((pin) => pin.toUpperCase()));
    for (const pin of pins) if (!saved.has(pin.toUpperCase()) && !seen(pin)) throw pinNotObserved(pin, where);
  };

  const remember = (result: AdTestResult) => {
    if (result.certificate) certificates.see(result.host, result.port, result.certificate.fingerprint);
    return result;
  };
  const rememberFailure = (error: unknown, target: DirectoryTarget): never => {
    const fingerprint = error instanceof AppFailure ? error.appError.detail?.fingerprint : undefined;
    if (typeof fingerprint === 'string') certificates.see(target.host, target.port, fingerprint);
    throw error;
  };

  return {
    async 'ad:test'(request, context) {
      const { target } = request;
      let password: string;
      let savedPins: readonly string[] = [];
      if (request.password) {
        if (target.tls === 'none' && !request.allowInsecure) {
          throw sslRequired('Plaintext LDAP is off unless "Allow insecure connection" is turned on.');
        }
        password = request.password;
        if (request.connectionId) {
          const saved = (await stores.forReading()).get(request.connectionId);
          if (saved.kind === 'activeDirectory') savedPins = saved.trust.pinnedFingerprints;
        }
      } else if (request.connectionId) {
        const bound = await stored(request.connectionId);
        checkStoredDestination(bound.connection, target, request.trust);
        checkBindUser(bound.connection, request.bindUser);
        password = bound.password;
        savedPins = bound.connection.trust.pinnedFingerprints;
      } else {
        throw new AppFailure({
          code: AppErrorCode.adNoPassword,
          message: 'There is no password to test with.',
          hint: 'Enter the service account’s password on the General page.',
        });
      }
      checkPins(
        request.trust.pinnedFingerprints,
        savedPins,
        (pin) => certificates.sawAt(target.host, target.port, pin),
        `${target.host}:${target.port}`,
      );
      const trustSystemStore = await deps.systemTrust(context);
      // A saved connection's test also learns when its DC's certificate and its account's password expire.
      const { connectionId } = request;
      let passwordExpiry: PasswordExpiry = null;
      const recordExpiry = async (result: AdTestResult) => {
        if (connectionId)
          await recordExpiries(
            stores,
            connectionId,
            directoryExpiries(result, passwordExpiry),
            describesDirectory(result),
          );
        return result;
      };
      return recordTestOutcome(
        {
          stores,
          connectionId: request.connectionId,
          source: testSourceOf(deps.caller),
          unsaved: { recent, operationId: request.operationId, domains: () => null },
          summarize: (result) =>
            `Signed in to ${result.rootDse.dnsHostName ?? result.host} as ${result.boundAs}`,
        },
        () =>
          testDirectory({
            endpoint: target,
            // With a stored password this equals the saved trust (checked above).
            trust: { ...request.trust, trustSystemStore },
            bindUser: request.bindUser,
            password,
            timeoutMs: request.timeoutMs,
            ...(context.signal ? { signal: context.signal } : {}),
            onStep: progress(context, request.operationId),
            ...(connectionId
              ? {
                  onPasswordExpiry: (found: PasswordExpiry) => {
                    passwordExpiry = found;
                  },
                }
              : {}),
          })
            .then(remember, (error: unknown) => rememberFailure(error, target))
            .then(recordExpiry),
      );
    },

    async 'ad:discoverControllers'(request, context) {
      let password = request.bindUser ? request.password : undefined;
      let savedPins: readonly string[] = [];
      const bound =
        request.bindUser && !password && request.connectionId
          ? await (await stores.forReading()).boundSecret(request.connectionId)
          : null;
      if (bound && bound.connection.kind === 'activeDirectory' && bound.secret !== null) {
        const { connection } = bound;
        checkBindUser(connection, request.bindUser);
        if (request.tls === 'none') throw sslRequired('A stored password is never sent over plaintext LDAP.');
        if (
          request.domain !== connection.domain ||
          (request.dnsServer ?? null) !== (connection.dnsServer ?? null)
        ) {
          throw destinationNotBound(
            'password',
            'discovery would ask another domain or DNS server than the saved ones',
            'Type the password to discover with other settings, or discover without signing in.',
          );
        }
        if (!sameTrust(request.trust, connection.trust)) {
          throw destinationNotBound(
            'password',
            'the certificate trust in the request differs from the saved one',
            'Type the password to discover with other trust settings.',
          );
        }
        password = bound.secret;
        savedPins = connection.trust.pinnedFingerprints;
      } else {
        // With neither a typed nor a bound password (never saved, or an edit dropped it) discovery is anonymous.
        if (request.bindUser && password && request.tls === 'none' && !request.allowInsecure) {
          throw sslRequired('Plaintext LDAP is off unless "Allow insecure connection" is turned on.');
        }
        // Pins already saved on the connection: changing them through a save unbinds its password (rule 2).
        if (request.connectionId) {
          const saved = (await stores.forReading()).get(request.connectionId);
          if (saved.kind === 'activeDirectory') savedPins = saved.trust.pinnedFingerprints;
        }
      }
      checkPins(
        request.trust.pinnedFingerprints,
        savedPins,
        (pin) => certificates.sawAnywhere(pin),
        'any server',
      );
      const result = await discoverControllers({
        domain: request.domain,
        ...(request.dnsServer ? { dnsServer: request.dnsServer } : {}),
        ...(request.site ? { site: request.site } : {}),
        tls: request.tls,
        ...(request.port ? { port: request.port } : {}),
        trust: { ...request.trust, trustSystemStore: await deps.systemTrust(context) },
        ...(request.bindUser && password ? { credentials: { bindUser: request.bindUser, password } } : {}),
        timeoutMs: request.timeoutMs,
        ...(context.signal ? { signal: context.signal } : {}),
        onStep: progress(context, request.operationId),
      });
      // Certificates seen by discovery are not recorded for pinning: the DNS server may be the request's, and a
      // name it returns says nothing about who answered at that name. Tests (ad:test) record what they saw.
      controllers.remember(
        { domain: request.domain, dnsServer: request.dnsServer, trust: request.trust },
        request.tls,
        result.controllers,
      );
      return result;
    },

    async 'ad:trustCertificate'({ connectionId, fingerprint }) {
      const connection = (await stores.forReading()).get(connectionId);
      const targets = connection.kind === 'activeDirectory' ? connection.targets : [];
      if (!targets.some((target) => certificates.sawAt(target.host, target.port, fingerprint))) {
        throw pinNotObserved(fingerprint, 'any of this connection’s domain controllers');
      }
      return (await stores.forWriting()).pinCertificate(connectionId, fingerprint);
    },

    async 'operation:cancel'({ cancels }) {
      return { cancelled: operations.cancel(cancels) };
    },
  };
}
