import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../../../cli/run-cli-in-process';
import {
  certificateSignIn,
  newCertificate,
  ownEmulator,
  passwordToken,
  type TestCertificate,
} from '../../../../e2e/fixtures/entra-emulator/emulator-test-client';
import { startAgent, stopAgents } from '../../../../remote-agent/fixtures/agent-process';
import {
  type RenewCertificateReport,
  RenewCertificateReportSchema,
  renewSteps,
} from '../../../common/connections/expiry-renewal';
import { SaveMicrosoftOnlineRequestSchema } from '../../../common/connections/save-request';
import type { EventPayloadOf } from '../../../common/ipc/event-map';
import type { Result } from '../../../common/result';
import { AgentClient } from '../../agent/agent-client';
import { agentBinding } from '../../connections/secret-binding';
import { closedPort } from '../../fixtures/closed-port';
import { createHandlers } from '../../ipc/handlers/create-handlers';
import { nodeHostDependencies } from '../../ipc/node-host-dependencies';
import { createRouter } from '../../ipc/router';
import { addKey } from './application-keys';
import { keyProof } from './key-proof';

// Renew certificate against an Entra emulator of this file's own: real msal-node sign-ins, real addKey and
// removeKey with proofs of possession, the real router and store.
let setup: Awaited<ReturnType<typeof ownEmulator>>;
let foreign: TestCertificate;
beforeAll(async () => {
  setup = await ownEmulator({ propagationDelayMs: 0 });
  foreign = newCertificate('renew-foreign');
});
afterAll(async () => {
  await stopAgents();
  await setup.emulator.stop();
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await setup.client.call('POST', '/_emulator/faults/clear');
  await Promise.all(closers.splice(0).map((close) => close()));
});

const graphAppId = '00000003-0000-0000-c000-000000000000';
const roleIds: Record<string, string> = {
  'Organization.Read.All': '498476ce-e0fe-48b0-b801-37ba7e2685c6',
  'Domain.Read.All': 'dbb9058a-0e50-45d7-ae91-66909b5d4664',
  'RoleManagement.Read.Directory': '483bed4a-2ad3-4361-a73b-c83ccdbdc53c',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
};
const call = (...args: Parameters<typeof setup.client.call>) => setup.client.call(...args);
const sha1 = (pem: string) =>
  createHash('sha1').update(new X509Certificate(pem).raw).digest('hex').toUpperCase();

const adminToken = () =>
  passwordToken(
    setup,
    'globalAdmin',
    'https://graph.microsoft.com/Application.ReadWrite.All https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All',
  );

/** An app with a certificate, a service principal and the read roles, as the utility's setup makes it. */
async function provisionedApp(name: string, certificate: TestCertificate, readsItself = true) {
  const token = await adminToken();
  const created = await call('POST', '/v1.0/applications', {
    token,
    json: {
      displayName: name,
      keyCredentials: [
        {
          type: 'AsymmetricX509Cert',
          usage: 'Verify',
          key: certificate.der.toString('base64'),
          displayName: 'A',
        },
      ],
    },
  });
  const application = created.body as { id: string; appId: string };
  const servicePrincipal = await call('POST', '/v1.0/servicePrincipals', {
    token,
    json: { appId: application.appId },
  });
  const graph = await call('GET', `/v1.0/servicePrincipals?$filter=appId eq '${graphAppId}'`, { token });
  const graphId = String((graph.body.value as { id: string }[])[0]?.id);
  const roles = Object.entries(roleIds).filter(([role]) => readsItself || role !== 'Application.Read.All');
  for (const [, appRoleId] of roles)
    await call('POST', `/v1.0/servicePrincipals/${graphId}/appRoleAssignedTo`, {
      token,
      json: { principalId: servicePrincipal.body.id, resourceId: graphId, appRoleId },
    });
  return application;
}

async function keysOf(objectId: string): Promise<{ keyId: string; customKeyIdentifier: string }[]> {
  const read = await call('GET', `/v1.0/applications/${objectId}`, { token: await adminToken() });
  return read.body.keyCredentials as { keyId: string; customKeyIdentifier: string }[];
}
const thumbprintsOf = async (objectId: string) =>
  (await keysOf(objectId)).map((key) =>
    Buffer.from(key.customKeyIdentifier, 'base64').toString('hex').toUpperCase(),
  );

/** A data folder, its router, and a certificate connection saved in it. */
async function hostWith(appId: string, certificate: TestCertificate, extra: Record<string, unknown> = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cu-renew-'));
  const deps = nodeHostDependencies({ host: 'cli', userDataDir });
  closers.push(() => deps.connectionStores.close());
  const router = createRouter(createHandlers(deps), { operations: deps.operations });
  const events: EventPayloadOf<'progress'>[] = [];
  const context = {
    emit: (_event: string, payload: unknown) => {
      events.push(payload as EventPayloadOf<'progress'>);
    },
  };
  const saved = value<{ id: string }>(
    await router.dispatch(
      'connections:save',
      {
        kind: 'microsoftOnline',
        name: 'Contoso M365 (certificate)',
        tenantDomain: setup.tenant.domain,
        authMode: 'certificate',
        clientId: appId,
        certificatePem: certificate.pem,
        authorityHost: setup.emulator.url,
        graphHost: setup.emulator.url,
        caPem: setup.caPem,
        secret: certificate.privateKeyPem,
        ...extra,
      },
      context,
    ),
  );
  return { userDataDir, deps, router, context, events, connectionId: saved.id };
}

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

let idleAgent: { port: number; apiKey: string } | undefined;
/** A Remote Agent whose API key the host remembers and that holds no domain: nothing there needs the old key. */
async function knownIdleAgent(): Promise<{ port: number; apiKey: string }> {
  if (!idleAgent) {
    const agentData = mkdtempSync(join(tmpdir(), 'cu-renew-idle-agent-'));
    const agent = await startAgent(['--port', '0', '--data', agentData]);
    idleAgent = {
      port: Number(new URL(agent.ready.url).port),
      apiKey: readFileSync(join(agentData, 'api-key'), 'utf8').trim(),
    };
  }
  return idleAgent;
}

/** hostWith, its connection's agent being one it knows to hold nothing. */
async function hostWithIdleAgent(appId: string, certificate: TestCertificate) {
  const { port, apiKey } = await knownIdleAgent();
  const host = await hostWith(appId, certificate, { remoteAgent: { host: '127.0.0.1', port } });
  await (await host.deps.connectionStores.forWriting()).saveAgentKey(
    agentBinding({ host: '127.0.0.1', port, useTls: false }),
    apiKey,
  );
  return host;
}

/** What main records when it registers the certificate (setup does), written the way only main can. */
async function recordApplication(
  host: Awaited<ReturnType<typeof hostWith>>,
  application: { objectId: string; keyId?: string },
) {
  const store = await host.deps.connectionStores.forWriting();
  const { connection } = await store.boundSecret(host.connectionId);
  if (connection.kind !== 'microsoftOnline') throw new Error('expected a Microsoft Online connection');
  const { createdAt: _c, updatedAt: _u, lastTest: _l, expiries: _e, application: _a, ...fields } = connection;
  await store.save(SaveMicrosoftOnlineRequestSchema.parse(fields), { application });
}

const renew = (host: Awaited<ReturnType<typeof hostWith>>, extra: Record<string, unknown> = {}) =>
  host.router.dispatch(
    'entra:renewCertificate',
    { connectionId: host.connectionId, operationId: 'renew-op', ...extra },
    host.context,
  );

const signInWith = (appId: string, certificate: TestCertificate) =>
  certificateSignIn(setup, appId, certificate);

describe('Renew certificate', () => {
  it('rolls the key: addKey proved by the old key, sign-in with the new one, save, then removeKey of the old', async () => {
    const old = newCertificate('renew-a');
    const application = await provisionedApp('Utility – renew', old);
    const host = await hostWithIdleAgent(application.appId, old);
    const mark = setup.emulator.requests.length;

    const report = RenewCertificateReportSchema.parse(value<RenewCertificateReport>(await renew(host)));
    expect(report).toMatchObject({
      appId: application.appId,
      objectId: application.id,
      oldThumbprint: sha1(old.pem),
      agentsUpdated: [],
      agentsNotUpdated: [],
      removedOld: true,
    });
    expect(report.oldKeyNote).toBeUndefined();
    expect(report.newThumbprint).not.toBe(report.oldThumbprint);
    const daysLeft = (Date.parse(report.notAfter) - Date.now()) / 86_400_000;
    expect(daysLeft).toBeGreaterThan(364);
    expect(daysLeft).toBeLessThanOrEqual(365);

    // The emulator saw addKey, then the new key's sign-in, and only then removeKey.
    const seen = setup.emulator.requests.slice(mark);
    const addAt = seen.findIndex((r) => r.path.endsWith('/addKey'));
    const removeAt = seen.findIndex((r) => r.path.endsWith('/removeKey'));
    expect(seen[addAt]?.status).toBe(200);
    expect(seen[removeAt]?.status).toBe(204);
    expect(
      seen.slice(addAt, removeAt).some((r) => r.path.includes('/oauth2/v2.0/token') && r.status === 200),
    ).toBe(true);
    expect(await thumbprintsOf(application.id)).toEqual([report.newThumbprint]);

    // Progress, step by step, in that order.
    expect(
      host.events.filter((event) => event.operationId === 'renew-op').map((event) => event.step),
    ).toEqual([
      'Signing in with the current certificate',
      'Finding the application and its current certificate',
      'Making a new key pair and certificate',
      'Registering the new certificate (addKey)',
      'Signing in with the new certificate',
      'Saving the connection with the new certificate',
      'Updating the Remote Agent',
      'Removing the old certificate (removeKey)',
      'Done',
    ]);
    expect(renewSteps).toEqual(report.steps.map((step) => step.step));
    expect(report.steps.every((step) => step.ok)).toBe(true);

    // Saved: the new certificate, its key sealed (never in clear in the file), its expiry known.
    const view = value<{
      certificatePem: string;
      hasSecret: boolean;
      expiries: { what: string; source: string }[];
      application?: { objectId: string; keyId?: string };
    }>(await host.router.dispatch('connections:get', { id: host.connectionId }, host.context));
    // The next renewal knows the application and the key to remove without reading the application.
    expect(view.application).toEqual({
      objectId: application.id,
      keyId: (await keysOf(application.id))[0]?.keyId,
    });
    expect(sha1(view.certificatePem)).toBe(report.newThumbprint);
    expect(view.hasSecret).toBe(true);
    expect(view.expiries).toEqual([
      expect.objectContaining({ what: 'certificate', source: report.newThumbprint }),
    ]);
    const { secret } = await (await host.deps.connectionStores.forReading()).boundSecret(host.connectionId);
    expect(new X509Certificate(view.certificatePem).checkPrivateKey(createPrivateKey(String(secret)))).toBe(
      true,
    );
    const db = new DatabaseSync(join(host.userDataDir, 'connections.db'), { readOnly: true });
    try {
      const row = db.prepare('SELECT record, secret FROM connections').get() as {
        record: string;
        secret: string;
      };
      expect(row.secret).not.toContain('PRIVATE KEY');
      expect(row.record).not.toContain('PRIVATE KEY');
    } finally {
      db.close();
    }

    // The old key no longer signs in; the connection does, with the new one.
    await expect(signInWith(application.appId, old)).rejects.toThrow(/AADSTS700027/);
    expect(
      await host.router.dispatch(
        'entra:test',
        {
          domain: setup.tenant.domain,
          authMode: 'certificate',
          clientId: application.appId,
          certificatePem: view.certificatePem,
          authorityHost: setup.emulator.url,
          graphHost: setup.emulator.url,
          caPem: setup.caPem,
          connectionId: host.connectionId,
        },
        host.context,
      ),
    ).toMatchObject({ ok: true });
  });

  it('keeps the old key when the new one does not sign in, and takes the new one off the app again', async () => {
    const old = newCertificate('renew-b');
    const application = await provisionedApp('Utility – renew fails', old);
    const host = await hostWith(application.appId, old);
    // The old key's token is cached by a test first, so the injected failure meets only the new key's sign-in.
    await host.router.dispatch(
      'entra:test',
      {
        domain: setup.tenant.domain,
        authMode: 'certificate',
        clientId: application.appId,
        certificatePem: old.pem,
        authorityHost: setup.emulator.url,
        graphHost: setup.emulator.url,
        caPem: setup.caPem,
        connectionId: host.connectionId,
      },
      host.context,
    );
    await call('POST', '/_emulator/faults', { json: { path: '/oauth2/v2.0/token', status: 400, times: 5 } });
    const mark = setup.emulator.requests.length;

    const result = await renew(host);
    await call('POST', '/_emulator/faults/clear');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(
      /keeps its current certificate; the new one was removed from the application again/,
    );
    expect(result.error.detail).toMatchObject({ newKeyRemoved: true });

    const seen = setup.emulator.requests.slice(mark);
    expect(seen.filter((r) => r.path.endsWith('/addKey'))).toHaveLength(1);
    expect(seen.filter((r) => r.path.endsWith('/removeKey'))).toEqual([
      expect.objectContaining({ status: 204 }),
    ]);
    // What was removed is the new key: the app has its old certificate only, and the connection still uses it.
    expect(await thumbprintsOf(application.id)).toEqual([sha1(old.pem)]);
    const view = value<{ certificatePem: string }>(
      await host.router.dispatch('connections:get', { id: host.connectionId }, host.context),
    );
    expect(view.certificatePem).toBe(old.pem);
    expect((await signInWith(application.appId, old))?.accessToken).toBeTruthy();
  });

  it('a proof signed by a foreign key is refused by Graph, and nothing is added', async () => {
    const old = newCertificate('renew-c');
    const application = await provisionedApp('Utility – foreign proof', old);
    const token = (await signInWith(application.appId, old))?.accessToken ?? '';
    const graph = {
      graphHost: setup.emulator.url,
      accessToken: token,
      caPem: setup.caPem,
      timeoutMs: 10_000,
    };
    const now = new Date();
    const proofs: [string, string, RegExp][] = [
      [foreign.pem, foreign.privateKeyPem, /names none/],
      // The app's own certificate named in the header, a foreign key signing.
      [old.pem, foreign.privateKeyPem, /does not verify/],
    ];
    for (const [certificatePem, privateKeyPem, reason] of proofs) {
      await expect(
        addKey(
          application.id,
          foreign.der,
          'Not allowed',
          keyProof({ objectId: application.id, certificatePem, privateKeyPem, now }),
          graph,
        ),
      ).rejects.toMatchObject({ appError: { code: 'entra.keyProofRefused' } });
      expect(setup.events.at(-1)).toMatchObject({
        event: 'keyProofRejected',
        applicationId: application.id,
        reason: expect.stringMatching(reason),
      });
    }
    // The same builder with the app's own key is accepted: the refusals were about the key, not the format.
    await expect(
      addKey(
        application.id,
        foreign.der,
        'Allowed',
        keyProof({
          objectId: application.id,
          certificatePem: old.pem,
          privateKeyPem: old.privateKeyPem,
          now,
        }),
        graph,
      ),
    ).resolves.toMatch(/^[0-9a-f-]{36}$/);
    expect(await thumbprintsOf(application.id)).toEqual([sha1(old.pem), sha1(foreign.pem)]);
  });

  it('an app that may not read itself needs its object id, and then leaves the old key for the admin', async () => {
    const old = newCertificate('renew-d');
    const application = await provisionedApp('Utility – no read', old, false);
    const host = await hostWithIdleAgent(application.appId, old);
    const mark = setup.emulator.requests.length;

    const refused = await renew(host);
    expect(refused).toMatchObject({ ok: false, error: { code: 'entra.insufficientPrivileges' } });
    expect(setup.emulator.requests.slice(mark).some((r) => r.path.endsWith('/addKey'))).toBe(false);

    const report = value<RenewCertificateReport>(await renew(host, { objectId: application.id }));
    expect(report).toMatchObject({ removedOld: false, oldKeyNote: expect.stringContaining(sha1(old.pem)) });
    expect(await thumbprintsOf(application.id)).toEqual([sha1(old.pem), report.newThumbprint]);
  });

  it('an app set up by the utility (no Application.Read.All) has its old key removed, renewal after renewal', async () => {
    const old = newCertificate('renew-g');
    const application = await provisionedApp('Utility – set up here', old, false);
    const host = await hostWithIdleAgent(application.appId, old);
    const [oldKey] = await keysOf(application.id);
    await recordApplication(host, { objectId: application.id, keyId: String(oldKey?.keyId) });

    const first = value<RenewCertificateReport>(await renew(host));
    expect(first).toMatchObject({ objectId: application.id, removedOld: true });
    expect(await thumbprintsOf(application.id)).toEqual([first.newThumbprint]);

    // The renewal recorded the new key: the next one removes it in turn.
    const second = value<RenewCertificateReport>(await renew(host));
    expect(second).toMatchObject({ oldThumbprint: first.newThumbprint, removedOld: true });
    expect(await thumbprintsOf(application.id)).toEqual([second.newThumbprint]);
  });

  it('the window cannot set the recorded application, and its saves keep main’s record', async () => {
    const old = newCertificate('renew-h');
    const application = await provisionedApp('Utility – steered', old, false);
    const host = await hostWithIdleAgent(application.appId, old);
    const [oldKey] = await keysOf(application.id);
    await recordApplication(host, { objectId: application.id, keyId: String(oldKey?.keyId) });
    const view = value<Record<string, unknown>>(
      await host.router.dispatch('connections:get', { id: host.connectionId }, host.context),
    );
    const {
      createdAt: _c,
      updatedAt: _u,
      lastTest: _l,
      expiries: _e,
      hasSecret: _h,
      application: _a,
      ...fields
    } = view;
    const steered = await host.router.dispatch(
      'connections:save',
      { ...fields, application: { objectId: '00000000-0000-0000-0000-000000000001', keyId: 'x' } },
      host.context,
    );
    expect(steered).toMatchObject({ ok: false, error: { code: 'input.invalid' } });

    const renamed = value<{ application?: unknown }>(
      await host.router.dispatch('connections:save', { ...fields, name: 'Renamed' }, host.context),
    );
    expect(renamed.application).toEqual({ objectId: application.id, keyId: oldKey?.keyId });
    // Another certificate typed in: its key is not the recorded one, so only the object id stays.
    const other = newCertificate('renew-h2');
    const recertified = value<{ application?: unknown }>(
      await host.router.dispatch(
        'connections:save',
        { ...fields, certificatePem: other.pem, secret: other.privateKeyPem },
        host.context,
      ),
    );
    expect(recertified.application).toEqual({ objectId: application.id });
  });

  it('keeps the old key when it is unknown whether the saved agent holds the domain (no API key here)', async () => {
    const old = newCertificate('renew-i');
    const application = await provisionedApp('Utility – agent unknown', old);
    const host = await hostWith(application.appId, old);

    const report = value<RenewCertificateReport>(await renew(host));
    expect(report).toMatchObject({
      agentsUpdated: [],
      agentsNotUpdated: [{ url: 'http://localhost:40002', reason: expect.stringMatching(/no API key/) }],
      removedOld: false,
      oldKeyNote: expect.stringContaining('may still use it'),
    });
    expect(report.steps.at(-1)).toMatchObject({
      step: 'Removing the old certificate (removeKey)',
      ok: false,
    });
    expect(await thumbprintsOf(application.id)).toEqual([sha1(old.pem), report.newThumbprint]);
  });

  it('gives the new certificate to the Remote Agent holding the domain', async () => {
    const agentData = mkdtempSync(join(tmpdir(), 'cu-renew-agent-'));
    const agent = await startAgent(['--port', '0', '--data', agentData]);
    const port = Number(new URL(agent.ready.url).port);
    const apiKey = readFileSync(join(agentData, 'api-key'), 'utf8').trim();
    const old = newCertificate('renew-e');
    const application = await provisionedApp('Utility – renew with agent', old);
    const host = await hostWith(application.appId, old, { remoteAgent: { host: '127.0.0.1', port } });
    value(
      await host.router.dispatch('agent:update', { connectionId: host.connectionId, apiKey }, host.context),
    );

    const report = value<RenewCertificateReport>(await renew(host));
    expect(report).toMatchObject({ agentsUpdated: [`http://127.0.0.1:${port}`], removedOld: true });
    const held = await new AgentClient({ host: '127.0.0.1', port, useTls: false, apiKey }).list();
    expect(sha1(String(held.connections[0]?.certificatePem))).toBe(report.newThumbprint);
  });

  it('keeps the old key while a Remote Agent holding the domain cannot be reached', async () => {
    const port = await closedPort();
    const old = newCertificate('renew-f');
    const application = await provisionedApp('Utility – agent down', old);
    const host = await hostWith(application.appId, old, { remoteAgent: { host: '127.0.0.1', port } });
    // This computer gave that agent connections before: its key is remembered.
    await (await host.deps.connectionStores.forWriting()).saveAgentKey(
      agentBinding({ host: '127.0.0.1', port, useTls: false }),
      'remembered-key',
    );

    const report = value<RenewCertificateReport>(await renew(host));
    expect(report).toMatchObject({
      agentsUpdated: [],
      agentsNotUpdated: [
        { url: `http://127.0.0.1:${port}`, reason: expect.stringMatching(/did not answer/) },
      ],
      removedOld: false,
      oldKeyNote: expect.stringContaining(`agent update --domain ${setup.tenant.domain}`),
    });
    expect(await thumbprintsOf(application.id)).toEqual([sha1(old.pem), report.newThumbprint]);
    // The old key still signs in, for the agent that still has it.
    expect((await signInWith(application.appId, old))?.accessToken).toBeTruthy();

    // The command line: the same, exit 1 with the next step said.
    const cli = await runCliInProcess(host.router, [
      'aad',
      'renew-certificate',
      '--domain',
      setup.tenant.domain,
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('[4/8] Registering the new certificate (addKey)');
    expect(cli.stdout).toMatch(/Old certificate: [0-9A-F]{40}, STILL REGISTERED/);
    expect(cli.stdout).toContain('Next step: The old certificate');
  });
});
