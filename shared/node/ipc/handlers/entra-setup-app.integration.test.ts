import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../../../cli/run-cli-in-process';
import { openBrowserAs } from '../../../../e2e/fixtures/entra-emulator/browser-stand-in';
import { emulatorHosts } from '../../../../e2e/fixtures/entra-emulator/cli-sign-in';
import {
  approvePrintedDeviceCode,
  ownEmulator,
  publicClient,
  userOf,
} from '../../../../e2e/fixtures/entra-emulator/emulator-test-client';
import { defaultPublicClientId } from '../../../../e2e/fixtures/entra-emulator/seed';
import type { SetupAppRequest } from '../../../common/entra/setup-app';
import type { EventPayloadOf } from '../../../common/ipc/event-map';
import { SettingsSchema } from '../../../common/settings';
import type { BrowserOpener } from '../../entra/browser-sign-in';
import { writeSettings } from '../../settings/settings-file';
import { nodeHostDependencies } from '../node-host-dependencies';
import { createRouter } from '../router';
import { createHandlers } from './create-handlers';
import { createEntraSetupAppHandler } from './entra-setup-app';
import { systemTrustFrom } from './system-trust';

// "Set up certificate sign-in for me" end to end: the real router and handlers, real msal-node (the admin's
// browser or device-code sign-in, then the app's certificate sign-in) against an emulator of its own whose token
// service sees new applications only after a delay, as Entra does.

const waitingStep = 'Waiting for Microsoft Entra to make the application usable (this can take a minute)';
const propagationDelayMs = 2000;
const testPermissions = [
  'Organization.Read.All',
  'Domain.Read.All',
  'RoleManagement.Read.Directory',
  'User.Read.All',
];

let stack: Awaited<ReturnType<typeof ownEmulator>>;
const hosts: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  stack = await ownEmulator({ propagationDelayMs });
});
afterAll(async () => {
  for (const host of hosts) await host.close();
  await stack.emulator.stop();
});

/** A host (its own data folder, so its own journal) whose system browser signs in as `scenario`. */
function host(scenario: 'globalAdmin' | 'nonAdmin' = 'globalAdmin') {
  const user = userOf(stack.tenant, scenario);
  const opened: string[] = [];
  const browser: BrowserOpener = openBrowserAs({
    caPem: stack.caPem,
    upn: user.upn,
    password: user.password,
    consent: 'accept',
  });
  const userDataDir = mkdtempSync(join(tmpdir(), 'cu-setup-app-'));
  const deps = nodeHostDependencies({
    host: 'devHost',
    userDataDir,
    openBrowser: async (url) => {
      opened.push(url);
      await browser(url);
    },
  });
  hosts.push(deps.connectionStores);
  const router = createRouter(createHandlers(deps), { operations: deps.operations });
  const events: EventPayloadOf<'progress'>[] = [];
  const context = {
    emit: (_event: string, payload: unknown) => events.push(payload as EventPayloadOf<'progress'>),
  };
  return {
    user,
    userDataDir,
    deps,
    router,
    opened,
    events,
    context,
    store: () => deps.connectionStores.forReading(),
  };
}

function setupRequest(operationId: string, name: string, upn: string): SetupAppRequest {
  return {
    operationId,
    domain: stack.tenant.domain,
    signIn: 'browser',
    userPrincipalName: upn,
    name,
    authorityHost: stack.emulator.url,
    graphHost: stack.emulator.url,
    caPem: stack.caPem,
    timeoutMs: 30_000,
  };
}

/** The tenant's applications of this name, as the Global Administrator sees them in Graph. */
async function applicationsNamed(name: string): Promise<{ appId: string }[]> {
  const admin = userOf(stack.tenant, 'globalAdmin');
  const token = await publicClient(
    stack.emulator,
    stack.caPem,
    stack.tenant.domain,
    defaultPublicClientId,
  ).acquireTokenByUsernamePassword({
    scopes: ['https://graph.microsoft.com/Application.Read.All'],
    username: admin.upn,
    password: admin.password,
  });
  const filter = encodeURIComponent(`displayName eq '${name}'`);
  const listed = await stack.client.call('GET', `/v1.0/applications?$filter=${filter}`, {
    token: token?.accessToken ?? '',
  });
  expect(listed.status).toBe(200);
  return listed.body.value as { appId: string }[];
}

/** Everything the data folder holds on disk, as text: a private key in clear would show as PEM. */
function dataFolderText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

/** The base64 body of a PEM key: what would show if it leaked in any form. */
function keyBody(pem: string): string {
  return pem
    .replace(/-----[^-]+-----/g, '')
    .replace(/\s+/g, '')
    .slice(0, 64);
}

describe('entra:setupApp', () => {
  it('registers the app, grants its permissions, waits for Entra, saves a certificate connection and tests it', async () => {
    const machine = host();
    const started = Date.now();
    const result = await machine.router.invoke(
      'entra:setupApp',
      setupRequest('setup-1', 'Connection Utility – end to end', machine.user.upn),
      machine.context,
    );
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    const setup = result.value;
    expect(setup).toMatchObject({
      displayName: 'Connection Utility – end to end',
      permissions: testPermissions,
      resumed: false,
      test: {
        principal: { kind: 'app', name: setup.appId },
        globalAdministrator: true,
        domain: stack.tenant.domain,
      },
    });
    expect(setup.certificateThumbprint).toMatch(/^[0-9A-F]{40}$/);
    // One year by default.
    const yearMs = Date.parse(setup.notAfter) - started;
    expect(yearMs).toBeGreaterThan(364 * 86_400_000);
    expect(yearMs).toBeLessThan(367 * 86_400_000);

    // One event per step, named for the admin, in order; the admin signed in in the browser main opened.
    const steps = [...new Set(machine.events.map((event) => event.step))];
    expect(steps).toEqual([
      'Signing in as an administrator',
      'Creating the certificate',
      'Registering the application',
      'Creating its service principal',
      'Granting Microsoft Graph permissions',
      waitingStep,
      'Saving the connection',
      'Testing the connection',
    ]);
    expect(machine.events.every((event) => event.operationId === 'setup-1' && event.total === 8)).toBe(true);
    expect(machine.events).toContainEqual(expect.objectContaining({ browser: { url: machine.opened[0] } }));
    expect(setup.steps.map((step) => step.step)).toEqual(steps);

    // Entra refused the new app until it had propagated: the wait lasted, then the sign-in succeeded.
    const waited = setup.steps.find((step) => step.step === waitingStep);
    expect(waited?.ms).toBeGreaterThanOrEqual(propagationDelayMs / 2);
    const refusals = stack.emulator.requests.filter(
      (request) => request.path.includes('/oauth2/v2.0/token') && request.status >= 400,
    );
    expect(refusals.length).toBeGreaterThan(0);

    // The connection: certificate mode, the new app, its key stored sealed, the test recorded.
    const store = await machine.store();
    const saved = store.get(setup.connectionId);
    expect(saved).toMatchObject({
      kind: 'microsoftOnline',
      name: `${stack.tenant.domain} (Microsoft 365)`,
      tenantDomain: stack.tenant.domain,
      authMode: 'certificate',
      clientId: setup.appId,
      userPrincipalName: machine.user.upn,
      authorityHost: stack.emulator.url,
      hasSecret: true,
      lastTest: { ok: true },
    });
    // The setup's test is the wizard's in the connection's history.
    expect(store.testHistory(setup.connectionId).entries.map((entry) => [entry.ok, entry.source])).toEqual([
      [true, 'wizard'],
    ]);
    const { secret } = await store.boundSecret(setup.connectionId);
    expect(secret).toContain('PRIVATE KEY');
    const certificate = new X509Certificate(
      saved.kind === 'microsoftOnline' ? (saved.certificatePem ?? '') : '',
    );
    expect(certificate.fingerprint.replaceAll(':', '')).toBe(setup.certificateThumbprint);

    // The key never left main: not in the answer, not in an event, not in clear on disk.
    const leaked = [
      JSON.stringify(result),
      JSON.stringify(machine.events),
      dataFolderText(machine.userDataDir),
    ];
    for (const text of leaked) {
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(keyBody(secret ?? ''));
    }
    // Finished: nothing left to resume.
    expect(await store.readSetupJournal(stack.tenant.domain)).toBeNull();
  });

  it('refuses an account that may not register applications, naming the step', async () => {
    const machine = host('nonAdmin');
    const before = stack.emulator.requests.length;
    const result = await machine.router.invoke(
      'entra:setupApp',
      setupRequest('setup-2', 'Connection Utility – not an admin', machine.user.upn),
      machine.context,
    );
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'entra.setupNotPermitted',
        message: expect.stringContaining(
          'cannot register applications: sign in as a Global Administrator, Application Administrator or Cloud Application Administrator',
        ),
        detail: {
          step: 'Registering the application',
          status: 403,
          graphCode: 'Authorization_RequestDenied',
        },
      },
    });
    const created = stack.emulator.requests
      .slice(before)
      .filter(
        (request) => request.method === 'POST' && request.path.startsWith('/v1.0/') && request.status < 300,
      );
    expect(created).toEqual([]);
    expect(await applicationsNamed('Connection Utility – not an admin')).toEqual([]);
  });

  it('a failure mid-way names the step and the app; Retry resumes and leaves exactly one application', async () => {
    const machine = host();
    const name = 'Connection Utility – retried';
    stack.emulator.faults.add({ path: '/appRoleAssignedTo', status: 500, times: 1 });
    const failed = await machine.router.invoke(
      'entra:setupApp',
      setupRequest('setup-3', name, machine.user.upn),
      machine.context,
    );
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error).toMatchObject({
      code: 'entra.setupFailed',
      detail: {
        step: 'Granting Microsoft Graph permissions',
        cause: 'entra.graphError',
        appId: expect.any(String),
        objectId: expect.any(String),
        servicePrincipalId: expect.any(String),
      },
    });
    const appId = String(failed.error.detail?.appId);
    expect(failed.error.message).toContain(appId);
    expect(failed.error.hint).toContain('no second');
    expect(await applicationsNamed(name)).toHaveLength(1);

    const retried = await machine.router.invoke(
      'entra:setupApp',
      setupRequest('setup-3b', name, machine.user.upn),
      machine.context,
    );
    expect(retried.ok, JSON.stringify(retried)).toBe(true);
    if (!retried.ok) return;
    expect(retried.value).toMatchObject({ appId, resumed: true, permissions: testPermissions });
    expect(retried.value.steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ step: 'Creating the certificate', alreadyDone: true }),
        expect.objectContaining({ step: 'Registering the application', alreadyDone: true }),
        expect.objectContaining({ step: 'Creating its service principal', alreadyDone: true }),
      ]),
    );
    // The admin signed in again: the first sign-in's token was not kept.
    expect(machine.opened).toHaveLength(2);
    expect(await applicationsNamed(name)).toEqual([expect.objectContaining({ appId })]);
  });

  it('an application registered but never recorded (its answer lost) is found by its certificate, not made twice', async () => {
    const machine = host();
    const name = 'Connection Utility – answer lost';
    stack.emulator.faults.add({ path: '/v1.0/servicePrincipals', status: 500, times: 1 });
    const failed = await machine.router.invoke(
      'entra:setupApp',
      setupRequest('setup-5', name, machine.user.upn),
      machine.context,
    );
    expect(failed).toMatchObject({
      ok: false,
      error: { detail: { step: 'Creating its service principal' } },
    });
    // As if the answer to the registration had never arrived: the journal knows the certificate, not the app.
    const store = await machine.deps.connectionStores.forWriting();
    const journal = JSON.parse((await store.readSetupJournal(stack.tenant.domain)) ?? '{}') as Record<
      string,
      unknown
    >;
    const { application, ...withoutApplication } = journal;
    expect(application).toBeDefined();
    await store.saveSetupJournal(stack.tenant.domain, JSON.stringify(withoutApplication));

    const retried = await machine.router.invoke(
      'entra:setupApp',
      setupRequest('setup-5b', name, machine.user.upn),
      machine.context,
    );
    expect(retried.ok, JSON.stringify(retried)).toBe(true);
    if (!retried.ok) return;
    expect(retried.value.appId).toBe((application as { appId: string }).appId);
    expect(retried.value.steps).toContainEqual(
      expect.objectContaining({ step: 'Registering the application', alreadyDone: true }),
    );
    expect(await applicationsNamed(name)).toHaveLength(1);
  });

  it('Cancel during the wait for Entra stops with operation.cancelled and keeps the journal for Retry', async () => {
    const machine = host();
    const name = 'Connection Utility – cancelled';
    stack.emulator.updateSettings({ propagationDelayMs: 600_000 });
    try {
      const running = machine.router.invoke(
        'entra:setupApp',
        setupRequest('setup-4', name, machine.user.upn),
        machine.context,
      );
      await expect
        .poll(() => machine.events.some((event) => event.step === waitingStep), { timeout: 20_000 })
        .toBe(true);
      const cancelAt = Date.now();
      expect(
        await machine.router.dispatch('operation:cancel', { cancels: 'setup-4' }, machine.context),
      ).toEqual({
        ok: true,
        value: { cancelled: true },
      });
      const outcome = await running;
      expect(Date.now() - cancelAt).toBeLessThan(5_000);
      expect(outcome).toMatchObject({
        ok: false,
        error: { code: 'operation.cancelled', detail: { step: waitingStep, appId: expect.any(String) } },
      });
      const journal = await (await machine.store()).readSetupJournal(stack.tenant.domain);
      expect(journal).toContain(String(!outcome.ok && outcome.error.detail?.appId));
    } finally {
      stack.emulator.updateSettings({ propagationDelayMs });
    }
    const retried = await machine.router.invoke(
      'entra:setupApp',
      setupRequest('setup-4b', name, machine.user.upn),
      machine.context,
    );
    expect(retried).toMatchObject({ ok: true, value: { resumed: true } });
    expect(await applicationsNamed(name)).toHaveLength(1);
  });
});

describe('entra:setupApp, one at a time and with Settings’ agent', () => {
  it('refuses a second setup of the domain while one runs, saves Settings’ Remote Agent and records the app and key', async () => {
    const machine = host();
    const agent = { host: 'agent.contoso.test', port: 41002, useTls: true, allowInsecure: false };
    await writeSettings(machine.userDataDir, SettingsSchema.parse({ remoteAgent: agent }));
    // The handler as main wires it, with the data folder Settings are read from.
    const router = createRouter(
      {
        ...createHandlers(machine.deps),
        ...createEntraSetupAppHandler({
          stores: machine.deps.connectionStores,
          systemTrust: systemTrustFrom(machine.userDataDir),
          openBrowser: machine.deps.openBrowser,
          userDataDir: machine.userDataDir,
          caller: machine.deps.caller,
        }),
      },
      { operations: machine.deps.operations },
    );
    const name = 'Connection Utility – one at a time';
    const first = router.invoke(
      'entra:setupApp',
      setupRequest('setup-6', name, machine.user.upn),
      machine.context,
    );
    const second = await router.invoke(
      'entra:setupApp',
      setupRequest('setup-6b', name, machine.user.upn),
      machine.context,
    );
    expect(second).toMatchObject({ ok: false, error: { code: 'entra.setupRunning' } });
    const done = await first;
    expect(done.ok, JSON.stringify(done)).toBe(true);
    if (!done.ok) return;
    expect(await applicationsNamed(name)).toHaveLength(1);

    const saved = (await machine.store()).get(done.value.connectionId);
    expect(saved).toMatchObject({
      remoteAgent: agent,
      application: { objectId: done.value.objectId, keyId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
  });
});

describe('entra setup-app on the command line', () => {
  it('aad setup-app --device-code --json prints the app, certificate, permissions and connection, never the key', async () => {
    const machine = host();
    const cliRouter = createRouter(createHandlers({ ...machine.deps, caller: 'terminal' }), {
      operations: machine.deps.operations,
    });
    const approved: string[] = [];
    const run = await runCliInProcess(
      cliRouter,
      [
        'aad',
        'setup-app',
        '--domain',
        stack.tenant.domain,
        '--device-code',
        '--name',
        'Connection Utility – command line',
        '--years',
        '2',
        ...emulatorHosts(stack.emulator, 'hostsAndCa'),
        '--json',
      ],
      undefined,
      // The person at the terminal: enters the printed code and signs in as the Global Administrator.
      (text) => {
        const code = approvePrintedDeviceCode(stack.client, text, machine.user.upn);
        if (code) approved.push(code);
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(approved).toHaveLength(1);
    expect(machine.opened).toEqual([]);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({
      appId: expect.any(String),
      objectId: expect.any(String),
      servicePrincipalId: expect.any(String),
      certificateThumbprint: expect.stringMatching(/^[0-9A-F]{40}$/),
      notAfter: expect.any(String),
      permissions: testPermissions,
      connectionId: expect.any(String),
    });
    const twoYears = Date.parse(String(printed.notAfter)) - Date.now();
    expect(twoYears).toBeGreaterThan(729 * 86_400_000);
    expect(run.stderr).toContain(`[6/8] ${waitingStep}`);
    const cliStore = await machine.store();
    expect(cliStore.testHistory(String(printed.connectionId)).entries.map((entry) => entry.source)).toEqual([
      'cli',
    ]);
    const { secret } = await cliStore.boundSecret(String(printed.connectionId));
    for (const text of [run.stdout, run.stderr]) {
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(keyBody(secret ?? ''));
    }
  });
});
