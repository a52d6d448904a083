import type { ParsedAadTestRequest } from '../../../shared/common/entra/tenant-test';
import { AppFailure } from '../../../shared/common/errors/app-error';
import { AppErrorCode } from '../../../shared/common/errors/error-codes';
import type { ConnectionStoreProvider } from '../../../shared/node/connections/connection-store-provider';
import { checkEndpoints } from '../../../shared/node/entra/check-endpoints';
import { listVerifiedDomains } from '../../../shared/node/entra/list-domains';
import { type TenantTestInput, testTenant } from '../../../shared/node/entra/test-tenant';
import type { RecentTests } from '../recent-tests';
import type { HandlerContext, Handlers } from '../router';
import { recordTestOutcome } from './record-test-outcome';

type EntraHandlers = Pick<
  Handlers,
  'aad:test' | 'aad:listDomains' | 'aad:startDeviceCode' | 'aad:checkEndpoints'
>;

/** From the request (and the stored secret when none was typed) to the service's input. */
async function inputFor(
  stores: ConnectionStoreProvider,
  request: ParsedAadTestRequest,
  context: HandlerContext,
): Promise<TenantTestInput> {
  const secret =
    request.secret ??
    (request.connectionId ? await (await stores.forReading()).readSecret(request.connectionId) : null) ??
    undefined;
  if (!secret && request.authMode !== 'deviceCode') {
    throw new AppFailure({
      code: AppErrorCode.aadMissingSecret,
      message:
        request.authMode === 'password'
          ? 'There is no password to sign in with.'
          : 'There is no client secret or private key to sign in with.',
      hint: 'Enter it on the Provide Azure AD Information page.',
    });
  }
  const { operationId } = request;
  return {
    mode: request.authMode,
    domain: request.domain,
    ...(request.clientId ? { clientId: request.clientId } : {}),
    ...(request.userPrincipalName ? { userPrincipalName: request.userPrincipalName } : {}),
    ...(secret ? { secret } : {}),
    ...(request.certificatePem ? { certificatePem: request.certificatePem } : {}),
    cloud: request.cloud,
    ...(request.authorityHost ? { authorityHost: request.authorityHost } : {}),
    ...(request.graphHost ? { graphHost: request.graphHost } : {}),
    ...(request.caPem ? { caPem: request.caPem } : {}),
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
  };
}

export function createEntraHandlers(stores: ConnectionStoreProvider, recent: RecentTests): EntraHandlers {
  const test = async (request: ParsedAadTestRequest, context: HandlerContext) =>
    recordTestOutcome(
      {
        stores,
        connectionId: request.connectionId,
        unsaved: {
          recent,
          operationId: request.operationId,
          // One sign-in speaks for every verified domain of the tenant: the wizard's "also create" offer.
          domains: (result) => [result.domain, ...result.verifiedDomains],
        },
        summarize: (result) =>
          `${result.user} signed in to ${result.organization}${result.globalAdministrator ? ' as Global Administrator' : ' without Global Administrator'}`,
      },
      async () => testTenant(await inputFor(stores, request, context)),
    );
  return {
    'aad:test': test,
    'aad:startDeviceCode': (request, context) => test({ ...request, authMode: 'deviceCode' }, context),
    'aad:checkEndpoints': (request, context) => checkEndpoints(request, context.signal),
    async 'aad:listDomains'(request, context) {
      return listVerifiedDomains(await inputFor(stores, request, context));
    },
  };
}
