import type { ParsedAadTestRequest } from '../../../common/entra/tenant-test';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import {
  type EntraDestination,
  entraDestinationKey,
  entraDestinationOf,
} from '../../connections/secret-binding';
import type { BrowserOpener } from '../../entra/browser-sign-in';
import { checkEndpoints } from '../../entra/check-endpoints';
import { recordClientSecretExpiry } from '../../entra/expiry-client-secret';
import { listVerifiedDomains } from '../../entra/list-domains';
import { tenantTestInput } from '../../entra/tenant-test-input';
import { type TenantTestInput, testTenant } from '../../entra/test-tenant';
import { destinationNotBound } from '../evidence/not-bound';
import type { RecentTests } from '../recent-tests';
import type { HandlerContext, Handlers } from '../router';
import type { Caller } from './create-handlers';
import { recordTestOutcome, testSourceOf } from './record-test-outcome';
import type { SystemTrust } from './system-trust';

type EntraHandlers = Pick<
  Handlers,
  'entra:test' | 'entra:listDomains' | 'entra:startDeviceCode' | 'entra:checkEndpoints'
>;

const missingSecret = (authMode: ParsedAadTestRequest['authMode'], stored: boolean) =>
  new AppFailure({
    code: AppErrorCode.entraMissingSecret,
    message: `There is no ${stored ? 'stored ' : ''}${authMode === 'password' ? 'password' : 'client secret or private key'} to sign in with${stored ? ': none was saved, or the sign-in settings changed since' : ''}.`,
    hint: 'Enter it on the Provide Azure AD Information page (or General in the connection).',
  });

/**
 * Where the sign-in goes, with which secret: a typed secret (or none, for device code) goes where the request
 * says; a stored secret only with the destination saved beside it, which must be the one the request names.
 */
async function destinationFor(
  stores: ConnectionStoreProvider,
  request: ParsedAadTestRequest,
): Promise<{ destination: EntraDestination; secret?: string }> {
  const requested: EntraDestination = {
    domain: request.domain,
    authMode: request.authMode,
    userPrincipalName: request.userPrincipalName,
    clientId: request.clientId,
    certificatePem: request.certificatePem,
    cloud: request.cloud,
    authorityHost: request.authorityHost,
    graphHost: request.graphHost,
    caPem: request.caPem,
  };
  // A person signs in interactively: there is no secret to send anywhere.
  if (request.authMode === 'deviceCode' || request.authMode === 'browser') return { destination: requested };
  if (request.secret) return { destination: requested, secret: request.secret };
  if (!request.connectionId) throw missingSecret(request.authMode, false);
  const { connection, secret } = await (await stores.forReading()).boundSecret(request.connectionId);
  if (connection.kind !== 'microsoftOnline') {
    throw new AppFailure({
      code: AppErrorCode.inputInvalid,
      message: 'That is not a Microsoft Online connection.',
      detail: { issues: ['connectionId: not a Microsoft Online connection'] },
    });
  }
  if (secret === null) throw missingSecret(request.authMode, true);
  const saved = entraDestinationOf(connection);
  if (entraDestinationKey(saved) !== entraDestinationKey(requested)) {
    throw destinationNotBound(
      connection.authMode === 'password' ? 'password' : 'secret',
      'the request names another tenant, account, application, cloud, sign-in or Graph host, or CA',
      'Type the secret to sign in with these settings, or save the connection with them (and the secret re-typed).',
    );
  }
  return { destination: saved, secret };
}

function inputFor(
  { destination, secret }: { destination: EntraDestination; secret?: string },
  request: ParsedAadTestRequest,
  context: HandlerContext,
  trustSystemStore: boolean,
  openBrowser: BrowserOpener,
): TenantTestInput {
  const { operationId } = request;
  return tenantTestInput(destination, secret, {
    trustSystemStore,
    // The CLI's --no-browser prints the address instead; no request can choose the opener.
    openBrowser: context.host?.openBrowser ?? openBrowser,
    onBrowser: (url) =>
      operationId &&
      context.emit('progress', {
        operationId,
        step: 'Waiting for the sign-in in the browser',
        done: 0,
        total: 5,
        browser: { url },
      }),
    timeoutMs: request.timeoutMs,
    ...(context.signal ? { signal: context.signal } : {}),
    onStep: (step, done, total) =>
      operationId && context.emit('progress', { operationId, step, done, total }),
    onDeviceCode: (prompt) =>
      operationId &&
      context.emit('progress', {
        operationId,
        step: 'Waiting for the device-code sign-in',
        done: 0,
        total: 5,
        deviceCode: prompt,
      }),
  });
}

export function createEntraHandlers(
  stores: ConnectionStoreProvider,
  recent: RecentTests,
  systemTrust: SystemTrust,
  openBrowser: BrowserOpener,
  caller: Caller,
): EntraHandlers {
  const input = async (request: ParsedAadTestRequest, context: HandlerContext) =>
    inputFor(
      await destinationFor(stores, request),
      request,
      context,
      await systemTrust(context),
      openBrowser,
    );
  const test = async (request: ParsedAadTestRequest, context: HandlerContext) =>
    recordTestOutcome(
      {
        stores,
        connectionId: request.connectionId,
        source: testSourceOf(caller),
        unsaved: {
          recent,
          operationId: request.operationId,
          // One sign-in speaks for every verified domain of the tenant: the wizard's "also create" offer.
          domains: (result) => [result.domain, ...result.verifiedDomains],
        },
        summarize: (result) =>
          `${result.user} signed in to ${result.organization}${result.globalAdministrator ? ' as Global Administrator' : ' without Global Administrator'}`,
      },
      async () => {
        const tested = await input(request, context);
        const result = await testTenant(tested);
        // With the stored secret, the test also learns when that secret expires (best effort).
        if (request.connectionId && !request.secret)
          await recordClientSecretExpiry(stores, request.connectionId, tested);
        return result;
      },
    );
  return {
    'entra:test': test,
    'entra:startDeviceCode': (request, context) => test({ ...request, authMode: 'deviceCode' }, context),
    'entra:checkEndpoints': async (request, context) =>
      checkEndpoints(request, context.signal, { trustSystemStore: await systemTrust(context) }),
    async 'entra:listDomains'(request, context) {
      return listVerifiedDomains(await input(request, context));
    },
  };
}
