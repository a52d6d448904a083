import { z } from 'zod';
import type {
  ConnectionApplication,
  ConnectionView,
  RemoteAgentTarget,
} from '../../../common/connections/connection';
import { defaultConnectionName } from '../../../common/connections/default-name';
import {
  type ParsedConnectionSaveRequest,
  SaveMicrosoftOnlineRequestSchema,
} from '../../../common/connections/save-request';
import {
  type ParsedSetupAppRequest,
  type SetupAppResult,
  type SetupAppStep,
  type SetupAppStepReport,
  setupAppSteps,
} from '../../../common/entra/setup-app';
import type { TenantTestResult } from '../../../common/entra/tenant-test';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { EventPayloadOf } from '../../../common/ipc/event-map';
import { certificateFacts, makeAppCertificate } from '../app-certificate';
import type { BrowserOpener } from '../browser-sign-in';
import { endpointsFor } from '../cloud-endpoints';
import { signInAsAdministrator } from './admin-sign-in';
import { applicationWithCertificate, recordedApplication, registerApplication } from './app-registration';
import type { GraphSession } from './graph-calls';
import { tenantTestPermissions } from './graph-permissions';
import { waitUntilUsable } from './propagation-wait';
import {
  ensureServicePrincipal,
  grantedRoleIds,
  grantRole,
  microsoftGraphServicePrincipal,
} from './service-principals';
import { pendingSetupElsewhere, setupFailure } from './setup-errors';
import { journalApplies, type SetupJournal, type SetupJournalStore } from './setup-journal';

export type SetupProgress = Omit<EventPayloadOf<'progress'>, 'operationId'> & { step: SetupAppStep };

export interface SetupDependencies {
  journals: SetupJournalStore;
  connections: {
    /** The connection, or null when it does not exist (any more). */
    find(id: string): Promise<ConnectionView | null>;
    /** Saves it, recording which application object and key it signs in with (for Renew certificate). */
    save(request: ParsedConnectionSaveRequest, application: ConnectionApplication): Promise<ConnectionView>;
  };
  /** Settings' Remote Agent: the one a new connection is given (Update Remote Agent sends it there). */
  defaultRemoteAgent(): Promise<RemoteAgentTarget>;
  /** The tenant test of a saved connection with its stored secret, recorded as its last test. */
  test(connectionId: string): Promise<TenantTestResult>;
  openBrowser: BrowserOpener;
  trustSystemStore: boolean;
  /** This computer's name, for the application's default display name. */
  hostName: string;
  signal?: AbortSignal;
  onProgress?: (progress: SetupProgress) => void;
}

const isEmail = (value: string) => z.email().safeParse(value).success;

/**
 * "Set up certificate sign-in for me". Each step is idempotent and recorded in the journal as soon as it has made
 * something, so a failure, Cancel or a restart followed by Retry continues with the same certificate and
 * application: a recorded application is checked in Graph, not made again; one registered but never recorded
 * (its answer lost) is found by its name and certificate. The journal is cleared once the test has passed.
 */
export async function setUpCertificateSignIn(
  request: ParsedSetupAppRequest,
  deps: SetupDependencies,
): Promise<SetupAppResult> {
  const endpoints = endpointsFor(request.cloud, {
    ...(request.authorityHost ? { authorityHost: request.authorityHost } : {}),
    ...(request.graphHost ? { graphHost: request.graphHost } : {}),
  });
  const total = setupAppSteps.length;
  if (request.discardPending) await deps.journals.clear(request.domain);
  const earlier = await deps.journals.read(request.domain);
  // Before anyone signs in: a journal for other endpoints holds the only key of an app that may exist.
  if (earlier && !journalApplies(earlier, request)) throw pendingSetupElsewhere(earlier);
  let journal: SetupJournal | null = earlier;
  const resumed = journal !== null;
  const reports: SetupAppStepReport[] = [];
  let current: SetupAppStep = 'Signing in as an administrator';

  const step = async <T>(
    name: SetupAppStep,
    work: () => Promise<{ value: T; alreadyDone: boolean }>,
  ): Promise<T> => {
    current = name;
    deps.onProgress?.({ step: name, done: setupAppSteps.indexOf(name), total });
    const started = performance.now();
    const { value, alreadyDone } = await work();
    reports.push({ step: name, ms: Math.round(performance.now() - started), alreadyDone });
    return value;
  };
  const remember = async (next: SetupJournal): Promise<SetupJournal> => {
    await deps.journals.save(next);
    journal = next;
    return next;
  };

  try {
    const admin = await step('Signing in as an administrator', async () => ({
      alreadyDone: false,
      value: await signInAsAdministrator({
        mode: request.signIn,
        domain: request.domain,
        ...(request.userPrincipalName ? { userPrincipalName: request.userPrincipalName } : {}),
        endpoints,
        ...(request.caPem ? { caPem: request.caPem } : {}),
        trustSystemStore: deps.trustSystemStore,
        timeoutMs: request.timeoutMs,
        ...(deps.signal ? { signal: deps.signal } : {}),
        openBrowser: deps.openBrowser,
        onBrowser: (url) =>
          deps.onProgress?.({ step: 'Signing in as an administrator', done: 0, total, browser: { url } }),
        onDeviceCode: (deviceCode) =>
          deps.onProgress?.({ step: 'Signing in as an administrator', done: 0, total, deviceCode }),
      }),
    }));
    const graph: GraphSession = {
      graphHost: endpoints.graphHost,
      accessToken: admin.accessToken,
      ...(request.caPem ? { caPem: request.caPem } : {}),
      trustSystemStore: deps.trustSystemStore,
      timeoutMs: request.timeoutMs,
      ...(deps.signal ? { signal: deps.signal } : {}),
    };

    let record = await step('Creating the certificate', async () => {
      if (journal) return { value: journal, alreadyDone: true };
      const displayName = request.name ?? `Connection Utility – ${deps.hostName}`;
      const now = new Date();
      const notAfter = new Date(now);
      notAfter.setUTCFullYear(notAfter.getUTCFullYear() + request.years);
      const certificate = await makeAppCertificate({ commonName: displayName, notAfter, now });
      const started: SetupJournal = {
        version: 1,
        domain: request.domain,
        cloud: request.cloud,
        ...(request.authorityHost ? { authorityHost: request.authorityHost } : {}),
        ...(request.graphHost ? { graphHost: request.graphHost } : {}),
        displayName,
        certificate,
        grantedPermissions: [],
        startedAt: new Date().toISOString(),
      };
      return { value: await remember(started), alreadyDone: false };
    });
    const certificate = certificateFacts(record.certificate.pem);

    const application = await step('Registering the application', async () => {
      if (record.application) {
        const still = await recordedApplication(graph, record.application, certificate);
        if (still) {
          if (still.keyId !== record.application.keyId)
            record = await remember({ ...record, application: still });
          return { value: still, alreadyDone: true };
        }
        // Deleted in the tenant since: nothing recorded for it applies any more.
        const { application: _gone, servicePrincipalId: _alsoGone, ...rest } = record;
        record = await remember({ ...rest, grantedPermissions: [] });
      }
      const found = await applicationWithCertificate(graph, record.displayName, certificate);
      const registered = found ?? (await registerApplication(graph, record.displayName, certificate));
      record = await remember({ ...record, application: registered });
      return { value: registered, alreadyDone: found !== null };
    });

    const servicePrincipalId = await step('Creating its service principal', async () => {
      const principal = await ensureServicePrincipal(graph, application.appId);
      if (record.servicePrincipalId !== principal.id)
        record = await remember({ ...record, servicePrincipalId: principal.id });
      return { value: principal.id, alreadyDone: principal.existed };
    });

    const permissions = await step('Granting Microsoft Graph permissions', async () => {
      const microsoftGraph = await microsoftGraphServicePrincipal(graph);
      const granted = await grantedRoleIds(graph, servicePrincipalId, microsoftGraph.id);
      let grantedNow = 0;
      for (const permission of tenantTestPermissions) {
        const appRoleId = microsoftGraph.roleIds.get(permission);
        if (!appRoleId)
          throw new AppFailure({
            code: AppErrorCode.entraGraphError,
            message: `Microsoft Graph offers no application permission ${permission} in this tenant.`,
            detail: { permission },
          });
        if (!granted.has(appRoleId)) {
          await grantRole(graph, {
            principalId: servicePrincipalId,
            resourceId: microsoftGraph.id,
            appRoleId,
            permission,
          });
          grantedNow += 1;
        }
        if (!record.grantedPermissions.includes(permission))
          record = await remember({
            ...record,
            grantedPermissions: [...record.grantedPermissions, permission],
          });
      }
      return { value: [...tenantTestPermissions], alreadyDone: grantedNow === 0 };
    });

    await step(
      'Waiting for Microsoft Entra to make the application usable (this can take a minute)',
      async () => {
        await waitUntilUsable({
          domain: request.domain,
          endpoints,
          ...(request.caPem ? { caPem: request.caPem } : {}),
          trustSystemStore: deps.trustSystemStore,
          timeoutMs: request.timeoutMs,
          budgetMs: request.propagationTimeoutMs,
          appId: application.appId,
          certificate: record.certificate,
          permissions,
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        return { value: undefined, alreadyDone: false };
      },
    );

    const connection = await step('Saving the connection', async () => {
      const previous = record.connectionId ? await deps.connections.find(record.connectionId) : null;
      const remoteAgent =
        previous?.kind === 'microsoftOnline' ? previous.remoteAgent : await deps.defaultRemoteAgent();
      const saved = await deps.connections.save(
        SaveMicrosoftOnlineRequestSchema.parse({
          kind: 'microsoftOnline',
          ...(previous ? { id: previous.id } : {}),
          name:
            request.connectionName ??
            previous?.name ??
            defaultConnectionName('microsoftOnline', request.domain),
          tenantDomain: request.domain,
          authMode: 'certificate',
          // The administrator whose Global Administrator role the test checks (app-only, by role assignments).
          ...(isEmail(admin.upn) ? { userPrincipalName: admin.upn } : {}),
          clientId: application.appId,
          certificatePem: record.certificate.pem,
          secret: record.certificate.privateKeyPem,
          cloud: request.cloud,
          ...(request.authorityHost ? { authorityHost: request.authorityHost } : {}),
          ...(request.graphHost ? { graphHost: request.graphHost } : {}),
          ...(request.caPem ? { caPem: request.caPem } : {}),
          remoteAgent,
        }),
        {
          objectId: application.objectId,
          ...(application.keyId ? { keyId: application.keyId } : {}),
        },
      );
      if (record.connectionId !== saved.id) record = await remember({ ...record, connectionId: saved.id });
      return { value: saved, alreadyDone: false };
    });

    const test = await step('Testing the connection', async () => ({
      value: await deps.test(connection.id),
      alreadyDone: false,
    }));
    // A journal left behind would only make the next setup of this domain check everything again.
    await deps.journals.clear(request.domain).catch(() => {});
    return {
      appId: application.appId,
      objectId: application.objectId,
      servicePrincipalId,
      displayName: record.displayName,
      certificateThumbprint: certificate.thumbprint,
      notAfter: certificate.notAfter,
      permissions,
      connectionId: connection.id,
      resumed,
      test,
      steps: reports,
    };
  } catch (error) {
    throw setupFailure(error, current, journal);
  }
}
