import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { AppFailure } from '../../common/errors/app-error';
import { httpsRequest } from './https-client';
import { type TenantTestInput, testTenant } from './test-tenant';

// Through the real @azure/msal-node, against the HTTPS Entra emulator of this run.
const entra = inject('entra');
const caPem = readFileSync(entra.caFile, 'utf8');
const tenant = entra.tenants[0];
if (!tenant) throw new Error('the emulator has no tenant');
const userOf = (scenario: string) => tenant.users.find((user) => user.scenario === scenario);
const confidential = tenant.apps.find((app) => !app.publicClient);

const base = {
  cloud: 'global' as const,
  authorityHost: entra.url,
  graphHost: entra.url,
  caPem,
  timeoutMs: 15_000,
};

function asUser(scenario: string, extra: Partial<TenantTestInput> = {}): TenantTestInput {
  const user = userOf(scenario);
  return {
    ...base,
    mode: 'password',
    domain: tenant?.domain ?? '',
    userPrincipalName: user?.upn ?? '',
    secret: user?.password ?? '',
    ...extra,
  };
}

async function control(method: 'POST', path: string, body?: unknown) {
  return httpsRequest(`${entra.url}${path}`, {
    method,
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    caPem,
    timeoutMs: 5000,
  });
}

async function failure(promise: Promise<unknown>): Promise<AppFailure['appError']> {
  try {
    await promise;
  } catch (error) {
    return (error as AppFailure).appError;
  }
  throw new Error('expected a failure');
}

afterEach(async () => {
  await control('POST', '/_emulator/faults/clear');
});

describe('testTenant against the Entra emulator', () => {
  it('password: a Global Administrator passes with tenant, domain, roles and licences', async () => {
    const result = await testTenant(asUser('globalAdmin'));
    expect(result).toMatchObject({
      tenantId: tenant.tenantId,
      id: tenant.tenantId,
      domain: tenant.domain,
      domainVerified: true,
      principal: { kind: 'user', name: userOf('globalAdmin')?.upn },
      globalAdministrator: true,
      warnings: [],
    });
    expect(result.verifiedDomains).toEqual(expect.arrayContaining(tenant.verifiedDomains));
    expect(result.roles).toContainEqual({
      name: 'Global Administrator',
      templateId: '62e90394-69f5-4237-9190-012177145e10',
    });
    expect(result.licences).toContainEqual({ sku: 'SPE_E5', enabled: 25, consumed: 20, available: 5 });
    expect(result.steps.map((step) => step.step)).toEqual([
      'Signing in',
      'Reading the organization',
      `Checking the domain ${tenant.domain}`,
      'Reading the directory roles',
      'Reading the licences',
    ]);
  });

  it('a non-admin passes the sign-in but is reported without the role, with a hint naming it', async () => {
    const result = await testTenant(asUser('nonAdmin'));
    expect(result.globalAdministrator).toBe(false);
    expect(result.warnings[0]).toContain('Global Administrator');
  });

  it('client secret: app-only sign-in, roles from the token', async () => {
    const result = await testTenant({
      ...base,
      mode: 'clientSecret',
      domain: tenant.domain,
      clientId: confidential?.clientId ?? '',
      secret: confidential?.secret ?? '',
    });
    expect(result.principal).toEqual({ kind: 'app', name: confidential?.clientId });
    expect(result.roles.map((role) => role.name)).toContain('Domain.Read.All');
  });

  it('client secret with the admin user named: that user’s role assignments decide Global Administrator', async () => {
    const admin = userOf('globalAdmin');
    const result = await testTenant({
      ...base,
      mode: 'clientSecret',
      domain: tenant.domain,
      clientId: confidential?.clientId ?? '',
      secret: confidential?.secret ?? '',
      userPrincipalName: admin?.upn ?? '',
    });
    expect(result).toMatchObject({ principal: { kind: 'app' }, globalAdministrator: true, warnings: [] });
    expect(result.roles).toContainEqual({
      name: 'Global Administrator',
      templateId: '62e90394-69f5-4237-9190-012177145e10',
    });
    const nonAdmin = await testTenant({
      ...base,
      mode: 'clientSecret',
      domain: tenant.domain,
      clientId: confidential?.clientId ?? '',
      secret: confidential?.secret ?? '',
      userPrincipalName: userOf('nonAdmin')?.upn ?? '',
    });
    expect(nonAdmin.globalAdministrator).toBe(false);
    expect(nonAdmin.warnings[0]).toContain('Global Administrator');
  });

  it('certificate: a PS256 assertion signed with the app’s key', async () => {
    const result = await testTenant({
      ...base,
      mode: 'certificate',
      domain: tenant.domain,
      clientId: confidential?.clientId ?? '',
      certificatePem: readFileSync(confidential?.certificateFile ?? '', 'utf8'),
      secret: readFileSync(confidential?.keyFile ?? '', 'utf8'),
    });
    expect(result.principal.kind).toBe('app');
  });

  it.each([
    [
      'a wrong password',
      () => asUser('globalAdmin', { secret: 'wrong', domain: tenant.domain }),
      'entra.invalidCredentials',
      50126,
    ],
    ['an MFA account', () => asUser('mfaRequired'), 'entra.mfaRequired', 50076],
    ['a locked account', () => asUser('locked'), 'entra.accountLocked', 50053],
    ['an expired password', () => asUser('passwordExpired'), 'entra.passwordExpired', 50055],
    [
      'an unknown user',
      () => asUser('globalAdmin', { userPrincipalName: 'nobody@contoso.test' }),
      'entra.userNotFound',
      50034,
    ],
    [
      'an unknown tenant',
      () => asUser('globalAdmin', { domain: 'nowhere.test' }),
      'entra.tenantNotFound',
      90002,
    ],
    [
      'an account that must register for MFA',
      () => asUser('mfaRegistrationRequired'),
      'entra.mfaRequired',
      50079,
    ],
    [
      'a Conditional Access block',
      () => asUser('blockedByConditionalAccess'),
      'entra.blockedByConditionalAccess',
      53003,
    ],
    [
      'password sign-in against /common',
      () => asUser('globalAdmin', { domain: 'common' }),
      'entra.wrongEndpoint',
      9001023,
    ],
    [
      'an app without admin consent',
      () => ({
        ...base,
        mode: 'clientSecret' as const,
        domain: tenant.domain,
        clientId: 'b7e1c0de-0002-4000-8000-000000000002',
        secret: 'emulated-client-secret-2',
      }),
      'entra.consentRequired',
      65001,
    ],
    [
      'a wrong client secret',
      () => ({
        ...base,
        mode: 'clientSecret' as const,
        domain: tenant.domain,
        clientId: confidential?.clientId ?? '',
        secret: 'nope',
      }),
      'entra.invalidClientSecret',
      7000215,
    ],
    [
      'an unregistered client id',
      () => ({
        ...base,
        mode: 'clientSecret' as const,
        domain: tenant.domain,
        clientId: '00000000-0000-4000-8000-000000000000',
        secret: 'x',
      }),
      'entra.appNotFound',
      700016,
    ],
  ])('%s surfaces as %s (AADSTS%s) with a hint', async (_label, input, code, aadsts) => {
    const error = await failure(testTenant(input()));
    expect(error).toMatchObject({ code, detail: { aadsts } });
    expect(error.hint).toEqual(expect.any(String));
  });

  it('an unverified domain of the tenant is entra.domainNotVerified', async () => {
    const error = await failure(testTenant(asUser('globalAdmin', { domain: 'pending.contoso.test' })));
    expect(error).toMatchObject({
      code: 'entra.domainNotVerified',
      message: expect.stringContaining('not verified'),
    });
  });

  it('waits out a 429 with Retry-After and passes', async () => {
    await control('POST', '/_emulator/faults', {
      path: '/v1.0/organization',
      status: 429,
      retryAfterSeconds: 0.3,
      times: 1,
    });
    const started = performance.now();
    const result = await testTenant(asUser('globalAdmin'));
    expect(result.tenantId).toBe(tenant.tenantId);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('gives up with entra.throttled after three tries when Graph keeps throttling', async () => {
    await control('POST', '/_emulator/faults', {
      path: '/v1.0/subscribedSkus',
      status: 429,
      retryAfterSeconds: 0.2,
    });
    const started = performance.now();
    const error = await failure(testTenant(asUser('globalAdmin')));
    await control('POST', '/_emulator/faults/clear');
    expect(error).toMatchObject({
      code: 'entra.throttled',
      detail: { tries: 3, step: 'reading the licences' },
    });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('names the host when its certificate is not trusted (no CA given)', async () => {
    const error = await failure(testTenant({ ...asUser('globalAdmin'), caPem: undefined }));
    expect(error).toMatchObject({
      code: 'entra.tlsUntrusted',
      message: expect.stringContaining('127.0.0.1'),
    });
  });
});

describe('device-code sign-in against the emulator', () => {
  it('passes once the code is approved in the "browser", and the code reaches the caller', async () => {
    const admin = userOf('globalAdmin');
    const prompts: string[] = [];
    const result = await testTenant({
      ...base,
      mode: 'deviceCode',
      domain: tenant.domain,
      onDeviceCode: (prompt) => {
        prompts.push(prompt.message);
        void control('POST', `/_emulator/devicecode/${prompt.userCode}/approve`, { upn: admin?.upn });
      },
    });
    expect(prompts[0]).toMatch(/enter the code [0-9A-F]{8}/);
    expect(result).toMatchObject({
      principal: { kind: 'user', name: admin?.upn },
      globalAdministrator: true,
    });
  });

  it('reports a declined code as entra.deviceCodeDeclined', async () => {
    const error = await failure(
      testTenant({
        ...base,
        mode: 'deviceCode',
        domain: tenant.domain,
        userPrincipalName: 'declined@contoso.test',
        onDeviceCode: (prompt) => void control('POST', `/_emulator/devicecode/${prompt.userCode}/decline`),
      }),
    );
    expect(error.code).toBe('entra.deviceCodeDeclined');
  });
});

describe('listVerifiedDomains', () => {
  it('lists the tenant’s verified domains only', async () => {
    const { listVerifiedDomains } = await import('./list-domains');
    const admin = userOf('globalAdmin');
    const result = await listVerifiedDomains({
      ...base,
      mode: 'password',
      domain: tenant.domain,
      userPrincipalName: admin?.upn ?? '',
      secret: admin?.password ?? '',
    });
    expect(result.tenantId).toBe(tenant.tenantId);
    expect(result.domains.map((d) => d.name).sort()).toEqual([...tenant.verifiedDomains].sort());
  });
});
