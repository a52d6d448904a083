import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ownEmulator, userOf } from '../../../e2e/fixtures/entra-emulator/emulator-test-client';
import { type InspectingProxy, startInspectingProxy } from '../../../e2e/fixtures/rogue/inspecting-proxy';
import type { Diagnosis, Stage } from '../../common/diagnostics/diagnosis';
import { DiagnosisSchema } from '../../common/diagnostics/diagnosis';
import { closedPort } from '../fixtures/closed-port';
import { diagnoseOnline, type OnlineConnectionFields } from './online-stages';

// The Microsoft Online stages from this process, against an Entra emulator of this file's own (its faults and
// clock are steered through its /_emulator control routes) and, for the proxy, a TLS-inspecting proxy.

let stack: Awaited<ReturnType<typeof ownEmulator>>;
let proxy: InspectingProxy;

beforeAll(async () => {
  stack = await ownEmulator();
  proxy = await startInspectingProxy({ upstreamCaPem: stack.caPem });
}, 60_000);
afterAll(async () => {
  await proxy?.stop();
  await stack?.emulator.stop();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await control('/_emulator/faults/clear', {});
  await control('/_emulator/settings', { clockSkewSeconds: 0 });
});

async function control(path: string, body: object) {
  const answer = await stack.client.call('POST', path, { json: body });
  if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.text}`);
}

const admin = () => userOf(stack.tenant, 'globalAdmin');
const directoryReader = () => {
  const app = stack.tenant.apps.find((candidate) =>
    candidate.displayName.startsWith('Contoso Directory Reader'),
  );
  if (!app?.secret || !app.certificateFile || !app.keyFile)
    throw new Error('The seed has no directory reader app.');
  return app;
};

function connection(extra: Partial<OnlineConnectionFields> = {}): OnlineConnectionFields {
  return {
    tenantDomain: stack.tenant.domain,
    authMode: 'password',
    userPrincipalName: admin().upn,
    cloud: 'global',
    authorityHost: stack.emulator.url,
    graphHost: stack.emulator.url,
    caPem: stack.caPem,
    ...extra,
  };
}

async function diagnose(fields: OnlineConnectionFields, secret: string | null = admin().password) {
  const reported: Stage[] = [];
  const diagnosis = await diagnoseOnline(
    { connection: fields, secret, timeoutMs: 10_000 },
    { side: 'local', onStage: (stage) => reported.push(stage) },
  );
  return { diagnosis: DiagnosisSchema.parse(diagnosis), reported };
}

const byId = (diagnosis: Diagnosis, id: string) => {
  const found = diagnosis.stages.find((stage) => stage.id === id);
  if (!found) throw new Error(`no stage ${id} in ${diagnosis.stages.map((stage) => stage.id).join(', ')}`);
  return found;
};
const statuses = (diagnosis: Diagnosis) =>
  Object.fromEntries(diagnosis.stages.map((stage) => [stage.id, stage.status]));

const onlineIds = [
  'online.dns',
  'online.proxy',
  'online.tcp',
  'online.tls',
  'online.metadata',
  'online.clock',
  'online.signIn',
];

describe('diagnoseOnline against the Entra emulator', { timeout: 60_000 }, () => {
  it('passes every stage of a healthy password connection, one Graph stage per call, and shows no secret', async () => {
    const { diagnosis, reported } = await diagnose(connection());
    expect(diagnosis).toMatchObject({
      kind: 'microsoftOnline',
      side: 'local',
      domain: stack.tenant.domain,
      status: 'ok',
    });
    expect(diagnosis.stages.map((stage) => stage.id)).toEqual([
      ...onlineIds,
      'graph.organization',
      'graph.domain',
      'graph.directoryRoles',
      'graph.subscribedSkus',
    ]);
    expect(diagnosis.stages.every((stage) => stage.status === 'ok')).toBe(true);
    // The emulator's own CA vouches through the connection's CA bundle: trusted, and said not to be public.
    expect(byId(diagnosis, 'online.tls').detail).toMatch(
      /issued by 'Connection Utility Test CA'.*not a public CA/,
    );
    expect(byId(diagnosis, 'online.proxy').detail).toMatch(/^direct: no HTTPS_PROXY/);
    expect(byId(diagnosis, 'online.signIn').detail).toBe(`as ${admin().upn}`);
    expect(byId(diagnosis, 'graph.directoryRoles').detail).toContain('Global Administrator');
    // Every stage was reported as it ended.
    expect(new Set(reported.map((stage) => stage.id))).toEqual(
      new Set(diagnosis.stages.map((stage) => stage.id)),
    );
    expect(JSON.stringify(diagnosis)).not.toContain(admin().password);
  });

  it('app-only with a client secret: the admin user and its role assignments are stages of their own', async () => {
    const app = directoryReader();
    const { diagnosis } = await diagnose(
      connection({ authMode: 'clientSecret', clientId: app.clientId }),
      app.secret,
    );
    expect(diagnosis.status).toBe('ok');
    expect(diagnosis.stages.map((stage) => stage.id)).toEqual([
      ...onlineIds,
      'graph.organization',
      'graph.domain',
      'graph.user',
      'graph.roleAssignments',
      'graph.subscribedSkus',
    ]);
    expect(byId(diagnosis, 'online.signIn').detail).toBe(`as ${app.clientId}`);
    expect(JSON.stringify(diagnosis)).not.toContain(app.secret ?? '');
  });

  it('app-only with a certificate signs in with the stored private key', async () => {
    const app = directoryReader();
    const key = readFileSync(app.keyFile ?? '', 'utf8');
    const { diagnosis } = await diagnose(
      connection({
        authMode: 'certificate',
        clientId: app.clientId,
        certificatePem: readFileSync(app.certificateFile ?? '', 'utf8'),
        userPrincipalName: undefined,
      }),
      key,
    );
    expect(statuses(diagnosis)).toMatchObject({ 'online.signIn': 'ok', 'graph.organization': 'ok' });
    expect(diagnosis.status).toBe('ok');
    expect(JSON.stringify(diagnosis)).not.toContain('PRIVATE KEY');
  });

  it('fails at graph.subscribedSkus when Graph answers 503 there, with the service-health hint', async () => {
    await control('/_emulator/faults/graph', { path: '/subscribedSkus', status: 503 });
    const { diagnosis } = await diagnose(connection());
    expect(diagnosis.status).toBe('fail');
    const failed = diagnosis.stages.filter((stage) => stage.status === 'fail');
    expect(failed.map((stage) => stage.id)).toEqual(['graph.subscribedSkus']);
    expect(failed[0]?.error).toMatchObject({
      code: 'entra.throttled',
      message: expect.stringContaining('503'),
      hint: expect.stringContaining('service health'),
      detail: { status: 503, tries: 1 },
    });
    expect(statuses(diagnosis)).toMatchObject({ 'graph.organization': 'ok', 'graph.domain': 'ok' });
  });

  it('every Graph stage fails when the next Graph calls all answer 503', async () => {
    await control('/_emulator/faults/graph', { times: 10 });
    const { diagnosis } = await diagnose(connection());
    const graph = diagnosis.stages.filter((stage) => stage.id.startsWith('graph.'));
    expect(graph.map((stage) => [stage.status, stage.error?.code])).toEqual(
      graph.map(() => ['fail', 'entra.throttled']),
    );
    expect(statuses(diagnosis)).toMatchObject({ 'online.signIn': 'ok' });
  });

  it('warns at online.clock when the authority’s Date is 3 minutes ahead', async () => {
    await control('/_emulator/settings', { clockSkewSeconds: 180 });
    const { diagnosis } = await diagnose(connection());
    expect(diagnosis.status).toBe('warn');
    const clock = byId(diagnosis, 'online.clock');
    expect(clock).toMatchObject({
      status: 'warn',
      error: { code: 'entra.clockSkew', hint: expect.stringContaining('NTP') },
    });
    expect(clock.error?.detail?.skewSeconds).toBeGreaterThanOrEqual(178);
    expect(clock.error?.detail?.skewSeconds).toBeLessThanOrEqual(182);
    expect(diagnosis.stages.filter((stage) => stage.status !== 'ok').map((stage) => stage.id)).toEqual([
      'online.clock',
    ]);
  });

  it('fails at online.clock when it is 6 minutes behind, and still runs the sign-in and Graph', async () => {
    await control('/_emulator/settings', { clockSkewSeconds: -360 });
    const { diagnosis } = await diagnose(connection());
    expect(diagnosis.status).toBe('fail');
    expect(byId(diagnosis, 'online.clock')).toMatchObject({
      status: 'fail',
      error: { code: 'entra.clockSkew', message: expect.stringContaining('6 minutes ahead of') },
    });
    expect(statuses(diagnosis)).toMatchObject({ 'online.signIn': 'ok', 'graph.subscribedSkus': 'ok' });
  });

  it('fails at online.tcp when nothing listens on the authority’s port, and skips what needs it', async () => {
    const closed = await closedPort();
    const { diagnosis } = await diagnose(
      connection({ authorityHost: `https://127.0.0.1:${closed}`, graphHost: `https://127.0.0.1:${closed}` }),
    );
    expect(statuses(diagnosis)).toMatchObject({
      'online.dns': 'ok',
      'online.proxy': 'ok',
      'online.tcp': 'fail',
      'online.tls': 'skipped',
      'online.signIn': 'skipped',
      'graph.organization': 'skipped',
    });
    expect(byId(diagnosis, 'online.tcp').error).toMatchObject({
      code: 'entra.unreachable',
      detail: { errno: 'ECONNREFUSED' },
      hint: expect.stringContaining('firewall'),
    });
  });

  it('fails at online.metadata for a tenant the authority does not know; the clock is still read', async () => {
    const { diagnosis } = await diagnose(connection({ tenantDomain: 'nowhere.test' }));
    expect(statuses(diagnosis)).toMatchObject({
      'online.tls': 'ok',
      'online.metadata': 'fail',
      'online.clock': 'ok',
      'online.signIn': 'skipped',
      'graph.domain': 'skipped',
    });
    expect(byId(diagnosis, 'online.metadata').error?.code).toBe('entra.tenantNotFound');
  });

  it('fails at online.signIn with a wrong password, naming it, and skips Graph', async () => {
    const { diagnosis } = await diagnose(connection(), 'not-the-password');
    expect(byId(diagnosis, 'online.signIn')).toMatchObject({
      status: 'fail',
      error: { code: 'entra.invalidCredentials' },
    });
    expect(byId(diagnosis, 'graph.organization').status).toBe('skipped');
    expect(JSON.stringify(diagnosis)).not.toContain('not-the-password');
  });

  it('skips the sign-in of an interactive mode with the reason, and the Graph stages after it', async () => {
    const { diagnosis } = await diagnose(connection({ authMode: 'deviceCode' }), null);
    expect(diagnosis.status).toBe('ok');
    expect(byId(diagnosis, 'online.signIn')).toMatchObject({
      status: 'skipped',
      detail: expect.stringContaining('needs a person'),
    });
    expect(byId(diagnosis, 'graph.directoryRoles').status).toBe('skipped');
  });

  it('through a TLS-inspecting proxy, fails at online.tls naming its CA as a possible TLS-inspecting proxy', async () => {
    vi.stubEnv('HTTPS_PROXY', proxy.url);
    vi.stubEnv('NO_PROXY', '');
    const before = proxy.tunnels().length;
    const { diagnosis } = await diagnose(connection());
    expect(proxy.tunnels().length).toBeGreaterThan(before);
    expect(byId(diagnosis, 'online.proxy').detail).toBe(`via ${proxy.url} (HTTPS_PROXY)`);
    expect(statuses(diagnosis)).toMatchObject({
      'online.dns': 'ok',
      'online.tcp': 'ok',
      'online.tls': 'fail',
      'online.metadata': 'skipped',
      'online.signIn': 'skipped',
    });
    const tls = byId(diagnosis, 'online.tls');
    expect(tls.detail).toContain("issued by 'Corp Proxy CA', not a public CA: a TLS-inspecting proxy?");
    expect(tls.error).toMatchObject({
      code: 'entra.tlsUntrusted',
      message: expect.stringMatching(
        /issued by 'Corp Proxy CA', which this host does not trust — a TLS-inspecting proxy\?/,
      ),
      hint: expect.stringMatching(/Add its CA .*or bypass the proxy for 127\.0\.0\.1:\d+ \(NO_PROXY\)/),
      detail: { issuer: 'Corp Proxy CA', inspectingProxy: true, proxy: proxy.url },
    });
  });

  it('the same connection with its host in NO_PROXY goes direct and passes', async () => {
    vi.stubEnv('HTTPS_PROXY', proxy.url);
    vi.stubEnv('NO_PROXY', '127.0.0.1');
    const { diagnosis } = await diagnose(connection());
    expect(byId(diagnosis, 'online.proxy').detail).toBe(
      'direct: 127.0.0.1 matches NO_PROXY (HTTPS_PROXY is set)',
    );
    expect(diagnosis.status).toBe('ok');
  });

  it('ends as a whole with operation.cancelled when cancelled', async () => {
    const cancel = new AbortController();
    cancel.abort();
    await expect(
      diagnoseOnline(
        { connection: connection(), secret: admin().password },
        { side: 'local', signal: cancel.signal },
      ),
    ).rejects.toMatchObject({ appError: { code: 'operation.cancelled' } });
  });
});
