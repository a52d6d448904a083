import { createHash, X509Certificate } from 'node:crypto';
import type {
  ConnectionApplication,
  MicrosoftOnlineConnection,
} from '../../../common/connections/connection';
import {
  type RenewCertificateReport,
  type RenewStep,
  type RenewStepName,
  renewSteps,
} from '../../../common/connections/expiry-renewal';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { commonNameOf } from '../app-certificate';
import { endpointsFor } from '../cloud-endpoints';
import { type SignedIn, type SignInInput, signIn } from '../sign-in';
import { addKey, type GraphCall, keyIdOf, readOwnApplication, removeKey } from './application-keys';
import { messageOf } from './error-message';
import { keyProof } from './key-proof';
import { newAppCertificate } from './new-certificate';

export interface RenewInput {
  /** A saved certificate connection: its client id, certificate and destination. */
  connection: MicrosoftOnlineConnection;
  /** Its current private key, as stored. */
  privateKeyPem: string;
  /** The application's object id, for an app that may not read its own application object. */
  objectId?: string;
  validityDays: number;
  timeoutMs: number;
  trustSystemStore: boolean;
  signal?: AbortSignal;
  /** A new key reaches every sign-in server within moments in Entra, not at once: how often to try it. */
  signInRetry?: { tries: number; delayMs: number };
  onStep?: (step: string, done: number, total: number) => void;
  now?: () => Date;
}

export interface AgentPush {
  /** Origins of the agents that now hold the new certificate. */
  updated: string[];
  /** Agents that should have been given it and were not: the old certificate stays for them. */
  notUpdated: { url: string; reason: string }[];
  /** Agents that may hold the domain, for all this computer can tell: the old certificate stays for them too. */
  unknown?: { url: string; reason: string }[];
  /** What the step found when there was nothing to push (no agent holds the domain). */
  note?: string;
}

export interface RenewPorts {
  /**
   * Saves the connection with the new certificate and its key (sealed), recording the application object and the
   * new certificate's keyId for the next renewal; throws when it cannot.
   */
  save(certificatePem: string, privateKeyPem: string, application: ConnectionApplication): Promise<void>;
  /** Gives the saved connection to every Remote Agent that holds its domain. */
  pushToAgents(): Promise<AgentPush>;
}

const total = renewSteps.length;

/**
 * Renew certificate: a new key pair, registered with addKey under a proof signed by the current key; a sign-in
 * with the new key; the connection saved with it; every Remote Agent holding the domain given it; only then the
 * old certificate removed with removeKey under a proof signed by the new key. Until the new key has signed in
 * and is saved, nothing the connection uses changes: a failure there removes the new key again.
 */
export async function renewCertificate(
  input: RenewInput,
  ports: RenewPorts,
): Promise<RenewCertificateReport> {
  const { connection } = input;
  const now = input.now ?? (() => new Date());
  const { clientId, certificatePem } = connection;
  if (connection.authMode !== 'certificate' || !clientId || !certificatePem)
    throw new AppFailure({
      code: AppErrorCode.inputInvalid,
      message: 'Only a connection that signs in with a certificate can renew it.',
      hint: 'Choose a Microsoft Online connection in certificate mode.',
    });
  const current = new X509Certificate(certificatePem);
  const oldThumbprint = createHash('sha1').update(current.raw).digest('hex').toUpperCase();
  if (new Date(current.validTo).getTime() <= now().getTime())
    throw new AppFailure({
      code: AppErrorCode.entraCertificateExpired,
      message: `The connection’s certificate (thumbprint ${oldThumbprint}) expired on ${new Date(current.validTo).toISOString()}: it can no longer prove possession to register its successor.`,
      hint: 'Upload a new certificate to the app in the Entra admin center (App registrations → Certificates & secrets) and save it in the connection.',
      detail: { thumbprint: oldThumbprint, validTo: current.validTo },
    });

  const endpoints = endpointsFor(connection.cloud, {
    ...(connection.authorityHost ? { authorityHost: connection.authorityHost } : {}),
    ...(connection.graphHost ? { graphHost: connection.graphHost } : {}),
  });
  const signInWith = (certificate: string, key: string): SignInInput => ({
    mode: 'certificate',
    domain: connection.tenantDomain,
    clientId,
    certificatePem: certificate,
    secret: key,
    endpoints,
    ...(connection.caPem ? { caPem: connection.caPem } : {}),
    trustSystemStore: input.trustSystemStore,
    timeoutMs: input.timeoutMs,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const graphAs = (session: SignedIn): GraphCall => ({
    graphHost: endpoints.graphHost,
    accessToken: session.accessToken,
    timeoutMs: input.timeoutMs,
    ...(connection.caPem ? { caPem: connection.caPem } : {}),
    ...(input.trustSystemStore ? {} : { trustSystemStore: false }),
    ...(input.signal ? { signal: input.signal } : {}),
  });

  const steps: RenewStep[] = [];
  const run = async <T>(step: RenewStepName, work: () => Promise<T>): Promise<T> => {
    input.onStep?.(step, renewSteps.indexOf(step), total);
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const value = await work();
      steps.push({ step, ok: true, ms: ms() });
      return value;
    } catch (error) {
      steps.push({ step, ok: false, ms: ms(), detail: messageOf(error).slice(0, 1000) });
      throw error;
    }
  };
  const skipped = (step: RenewStepName, detail: string) => steps.push({ step, ok: false, ms: 0, detail });

  const oldSession = await run('Signing in with the current certificate', () =>
    signIn(signInWith(certificatePem, input.privateKeyPem)),
  );
  const application = await run('Finding the application and its current certificate', async () => {
    const own = await readOwnApplication(clientId, graphAs(oldSession));
    if (own && input.objectId && own.objectId.toLowerCase() !== input.objectId.toLowerCase())
      throw new AppFailure({
        code: AppErrorCode.inputInvalid,
        message: `The object id ${input.objectId} is not this app’s: its application object is ${own.objectId}.`,
        hint: 'Leave the object id out: this app can look itself up.',
      });
    if (own)
      return { objectId: own.objectId, oldKeyId: keyIdOf(own.keyCredentials, sha1Of(current), current.raw) };
    // What main recorded when it registered this certificate (setup, or the last renewal): the store keeps the
    // keyId only while the certificate is unchanged, so it names the current certificate's key.
    const recorded = connection.application;
    const objectId = input.objectId ?? recorded?.objectId;
    if (objectId) {
      const sameObject = recorded && recorded.objectId.toLowerCase() === objectId.toLowerCase();
      return { objectId, oldKeyId: sameObject ? (recorded.keyId ?? null) : null };
    }
    throw new AppFailure({
      code: AppErrorCode.entraInsufficientPrivileges,
      message: `The app ${clientId} may not read its own application object, so its object id is unknown.`,
      hint: 'Give the object id (Entra admin center → App registrations → the app → Object ID; --object-id on the command line), or grant the app Application.Read.All.',
    });
  });
  const { objectId } = application;

  const fresh = await run('Making a new key pair and certificate', () =>
    newAppCertificate({
      commonName: commonNameOf(certificatePem) ?? `Connection Utility ${connection.tenantDomain}`,
      validityDays: input.validityDays,
      now: now(),
    }),
  );
  const freshDer = new X509Certificate(fresh.certificatePem).raw;
  const newKeyId = await run('Registering the new certificate (addKey)', () =>
    addKey(
      objectId,
      freshDer,
      `Connection Utility ${now().toISOString().slice(0, 10)}`,
      keyProof({ objectId, certificatePem, privateKeyPem: input.privateKeyPem, now: now() }),
      graphAs(oldSession),
    ),
  );

  // From here until the save, a failure takes the new key off the application again (proved by the old key).
  const undo = async (error: unknown): Promise<never> => {
    const removed = await removeKey(
      objectId,
      newKeyId,
      keyProof({ objectId, certificatePem, privateKeyPem: input.privateKeyPem, now: now() }),
      graphAs(oldSession),
    ).then(
      () => true,
      () => false,
    );
    const appError = error instanceof AppFailure ? error.appError : null;
    throw new AppFailure({
      code: appError?.code ?? AppErrorCode.internal,
      message: `${messageOf(error)} The connection keeps its current certificate; the new one ${removed ? 'was removed from the application again' : `(thumbprint ${fresh.thumbprint}) is still registered on the application: remove it in the Entra admin center`}.`,
      ...(appError?.hint ? { hint: appError.hint } : {}),
      detail: {
        ...appError?.detail,
        newThumbprint: fresh.thumbprint,
        newKeyRemoved: removed,
        steps: steps.map((done) => `${done.ok ? 'done' : 'failed'}: ${done.step}`),
      },
    });
  };

  const newSession = await run('Signing in with the new certificate', () =>
    signInWithRetry(signInWith(fresh.certificatePem, fresh.privateKeyPem), input),
  ).catch(undo);
  await run('Saving the connection with the new certificate', () =>
    ports.save(fresh.certificatePem, fresh.privateKeyPem, { objectId, keyId: newKeyId }),
  ).catch(undo);

  // The connection now uses the new key: nothing below undoes that, each step reports instead.
  const agents = await run('Updating the Remote Agent', () => ports.pushToAgents()).catch(
    (error: unknown): AgentPush => ({
      updated: [],
      notUpdated: [{ url: 'Remote Agent', reason: messageOf(error) }],
    }),
  );
  if (agents.note) {
    const last = steps.at(-1);
    if (last) last.detail = agents.note;
  }

  const removeStep: RenewStepName = 'Removing the old certificate (removeKey)';
  let oldKeyNote: string | undefined;
  const unknown = agents.unknown ?? [];
  if (agents.notUpdated.length) {
    oldKeyNote = `The old certificate (thumbprint ${oldThumbprint}) stays registered: ${agents.notUpdated.map((agent) => agent.url).join(', ')} still ${agents.notUpdated.length === 1 ? 'uses' : 'use'} it. Update the agent (Update Remote Agent, or "agent update --domain ${connection.tenantDomain}"), then remove the old certificate in the Entra admin center.`;
    skipped(removeStep, oldKeyNote);
  } else if (unknown.length) {
    oldKeyNote = `The old certificate (thumbprint ${oldThumbprint}) stays registered: ${unknown.map((agent) => agent.url).join(', ')} may still use it (this computer has no API key to ask). Update the agent (Update Remote Agent, or "agent update --domain ${connection.tenantDomain}"), or make sure it does not hold ${connection.tenantDomain}, then remove the old certificate in the Entra admin center.`;
    skipped(removeStep, oldKeyNote);
  } else if (!application.oldKeyId) {
    oldKeyNote = `The old certificate (thumbprint ${oldThumbprint}) could not be found among the application’s keys (the app may not read them): remove it in the Entra admin center (App registrations → Certificates & secrets).`;
    skipped(removeStep, oldKeyNote);
  } else {
    const oldKeyId = application.oldKeyId;
    await run(removeStep, () =>
      removeKey(
        objectId,
        oldKeyId,
        keyProof({
          objectId,
          certificatePem: fresh.certificatePem,
          privateKeyPem: fresh.privateKeyPem,
          now: now(),
        }),
        graphAs(newSession),
      ),
    ).catch((error: unknown) => {
      oldKeyNote = `The old certificate (thumbprint ${oldThumbprint}) could not be removed (${messageOf(error)}): remove it in the Entra admin center.`;
    });
  }
  input.onStep?.('Done', total, total);
  return {
    connectionId: connection.id,
    appId: clientId,
    objectId,
    oldThumbprint,
    newThumbprint: fresh.thumbprint,
    notAfter: fresh.notAfter.toISOString(),
    agentsUpdated: agents.updated,
    agentsNotUpdated: [...agents.notUpdated, ...unknown],
    removedOld: oldKeyNote === undefined,
    ...(oldKeyNote ? { oldKeyNote } : {}),
    steps,
  };
}

function sha1Of(certificate: X509Certificate): Buffer {
  return createHash('sha1').update(certificate.raw).digest();
}

/** Signs in with the new key, trying again while Entra does not know it everywhere yet (AADSTS700027). */
async function signInWithRetry(signInInput: SignInInput, input: RenewInput): Promise<SignedIn> {
  const { tries, delayMs } = input.signInRetry ?? { tries: 12, delayMs: 5_000 };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await signIn(signInInput);
    } catch (error) {
      const notYet =
        error instanceof AppFailure && error.appError.code === AppErrorCode.entraInvalidClientAssertion;
      if (!notYet || attempt >= tries || input.signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
