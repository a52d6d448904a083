import type { MicrosoftOnlineConnection } from '../../../common/connections/connection';
import { SaveMicrosoftOnlineRequestSchema } from '../../../common/connections/save-request';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { bindingDigest } from '../../connections/secret-binding';
import { pushToHoldingAgents } from '../../entra/renew-certificate/agent-push';
import { renewCertificate } from '../../entra/renew-certificate/renew-certificate';
import type { Handlers } from '../router';
import type { SystemTrust } from './system-trust';

type EntraRenewHandlers = Pick<Handlers, 'entra:renewCertificate'>;

export interface EntraRenewDependencies {
  stores: ConnectionStoreProvider;
  systemTrust: SystemTrust;
  /** The agent:update handler: the renewed connection reaches its agent by the very path Update Remote Agent takes. */
  updateAgent: Handlers['agent:update'];
  /** How often the new key is tried while Entra spreads it (tests shorten it). */
  signInRetry?: { tries: number; delayMs: number };
}

const notRenewable = (message: string, hint: string) =>
  new AppFailure({ code: AppErrorCode.inputInvalid, message, hint });

/** The save request that keeps every setting of `connection` and replaces its certificate and private key. */
function renewedSave(connection: MicrosoftOnlineConnection, certificatePem: string, privateKeyPem: string) {
  const {
    createdAt: _created,
    updatedAt: _updated,
    lastTest: _lastTest,
    expiries: _expiries,
    application: _application,
    ...fields
  } = connection;
  return SaveMicrosoftOnlineRequestSchema.parse({ ...fields, certificatePem, secret: privateKeyPem });
}

export function createEntraRenewHandlers(deps: EntraRenewDependencies): EntraRenewHandlers {
  const { stores } = deps;
  return {
    async 'entra:renewCertificate'(request, context) {
      const { connection, secret } = await (await stores.forReading()).boundSecret(request.connectionId);
      if (connection.kind !== 'microsoftOnline' || connection.authMode !== 'certificate')
        throw notRenewable(
          'Only a Microsoft Online connection that signs in with a certificate can renew it.',
          'Choose a certificate connection; a client secret is renewed in the Entra admin center.',
        );
      if (!secret)
        throw new AppFailure({
          code: AppErrorCode.entraMissingSecret,
          message:
            'This connection has no stored private key to prove possession with: none was saved, or its sign-in settings changed since.',
          hint: 'Type the certificate’s private key in the connection and save it, then renew.',
        });
      const trustSystemStore = await deps.systemTrust(context);
      const { operationId } = request;
      // The connection as it was when the renewal started: a save made meanwhile is not overwritten.
      const started = bindingDigest(connection);
      return renewCertificate(
        {
          connection,
          privateKeyPem: secret,
          ...(request.objectId ? { objectId: request.objectId } : {}),
          validityDays: request.validityDays,
          timeoutMs: request.timeoutMs,
          trustSystemStore,
          ...(context.signal ? { signal: context.signal } : {}),
          ...(deps.signInRetry ? { signInRetry: deps.signInRetry } : {}),
          onStep: (step, done, total) =>
            operationId && context.emit('progress', { operationId, step, done, total }),
        },
        {
          async save(certificatePem, privateKeyPem, application) {
            const store = await stores.forWriting();
            const now = (await store.boundSecret(connection.id)).connection;
            if (now.kind !== 'microsoftOnline' || bindingDigest(now) !== started)
              throw notRenewable(
                'The connection was changed while its certificate was being renewed.',
                'Renew it again.',
              );
            await store.save(renewedSave(now, certificatePem, privateKeyPem), { application });
          },
          // The agent and domain are part of the binding checked at the save: still those of `connection`.
          pushToAgents: () =>
            pushToHoldingAgents({
              stores,
              connection,
              trustSystemStore,
              update: async () => deps.updateAgent({ connectionId: connection.id }, context),
            }),
        },
      );
    },
  };
}
