import { globalAdministratorRoleTemplateId, type TenantTestResult } from '../../common/entra/tenant-test';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { type Cloud, endpointsFor } from './cloud-endpoints';
import { type GraphOptions, graphGet } from './graph-client';
import { type SignInInput, signIn } from './sign-in';

export interface TenantTestInput extends Omit<SignInInput, 'endpoints'> {
  cloud: Cloud;
  authorityHost?: string;
  graphHost?: string;
  onStep?: (step: string, done: number, total: number) => void;
  retryBudgetMs?: number;
}

interface Organization {
  value: { id: string; displayName: string; verifiedDomains: { name: string }[] }[];
}
interface Domain {
  id: string;
  isVerified: boolean;
}
interface DirectoryRole {
  displayName: string;
  roleTemplateId: string | null;
}
interface Sku {
  skuPartNumber: string;
  consumedUnits: number;
  prepaidUnits: { enabled: number };
}

/**
 * "Can the host sign in to this tenant and manage this domain?": sign in, read the organization, check the domain
 * is verified, read the principal's roles and the licences. A failed step says which one.
 */
export async function testTenant(input: TenantTestInput): Promise<TenantTestResult> {
  const started = performance.now();
  const endpoints = endpointsFor(input.cloud, {
    ...(input.authorityHost ? { authorityHost: input.authorityHost } : {}),
    ...(input.graphHost ? { graphHost: input.graphHost } : {}),
  });
  const steps: TenantTestResult['steps'] = [];
  const notes: string[] = [];
  const timed = async <T>(step: string, index: number, work: () => Promise<T>): Promise<T> => {
    input.onStep?.(step, index, 5);
    const at = performance.now();
    const value = await work();
    steps.push({ step, ms: Math.round(performance.now() - at) });
    return value;
  };

  const session = await timed('Signing in', 0, () => signIn({ ...input, endpoints }));
  const graph: GraphOptions = {
    graphHost: endpoints.graphHost,
    accessToken: session.accessToken,
    timeoutMs: input.timeoutMs,
    ...(input.caPem ? { caPem: input.caPem } : {}),
    ...(input.trustSystemStore === false ? { trustSystemStore: false } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onCall ? { onCall: input.onCall } : {}),
    ...(input.retryBudgetMs ? { retryBudgetMs: input.retryBudgetMs } : {}),
  };
  const organization = (
    await timed('Reading the organization', 1, () =>
      graphGet<Organization>('/v1.0/organization', 'reading the organization', graph),
    )
  ).value[0];
  if (!organization)
    throw new AppFailure({
      code: AppErrorCode.entraGraphError,
      message: 'Microsoft Graph returned no organization for this tenant.',
    });
  const verifiedDomains = organization.verifiedDomains.map((d) => d.name.toLowerCase());

  const domain = await timed(`Checking the domain ${input.domain}`, 2, () =>
    graphGet<Domain>(
      `/v1.0/domains/${encodeURIComponent(input.domain)}`,
      `checking the domain ${input.domain}`,
      graph,
    ).catch((error: unknown) => {
      if (error instanceof AppFailure && error.appError.code === AppErrorCode.entraGraphNotFound) return null;
      throw error;
    }),
  );
  if (!domain?.isVerified || !verifiedDomains.includes(input.domain.toLowerCase())) {
    throw new AppFailure({
      code: AppErrorCode.entraDomainNotVerified,
      message: domain
        ? `${input.domain} is in the tenant but not verified.`
        : `${input.domain} is not a domain of this tenant.`,
      hint: `Verify the domain in the Microsoft 365 admin center, or use one of: ${verifiedDomains.join(', ')}.`,
      detail: { domain: input.domain, tenantId: organization.id },
    });
  }

  const roles = await timed('Reading the directory roles', 3, async () => {
    if (session.principal.kind === 'user') {
      const found = await graphGet<{ value: DirectoryRole[] }>(
        '/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole',
        'reading the user’s directory roles',
        graph,
      );
      return found.value.map((role) => ({ name: role.displayName, templateId: role.roleTemplateId ?? null }));
    }
    // App-only: when the connection names its admin user, read that user's role assignments (the app-only way,
    // RoleManagement.Read.Directory); where that is not permitted, report the app's own permissions instead.
    if (input.userPrincipalName) {
      const assigned = await userRoleAssignments(input.userPrincipalName, graph).catch((error: unknown) => {
        if (error instanceof AppFailure && error.appError.code === AppErrorCode.entraInsufficientPrivileges) {
          notes.push(
            'The app may not read role assignments (RoleManagement.Read.Directory), so the Global Administrator check used its own permissions.',
          );
          return null;
        }
        throw error;
      });
      if (assigned) return assigned;
    }
    const claims = JSON.parse(
      Buffer.from(session.accessToken.split('.')[1] ?? '', 'base64url').toString() || '{}',
    ) as { roles?: string[] };
    return (claims.roles ?? []).map((name) => ({ name, templateId: null }));
  });
  const globalAdministrator = roles.some((role) => role.templateId === globalAdministratorRoleTemplateId);

  const licences = await timed('Reading the licences', 4, async () => {
    const found = await graphGet<{ value: Sku[] }>('/v1.0/subscribedSkus', 'reading the licences', graph);
    return found.value.map((sku) => ({
      sku: sku.skuPartNumber,
      enabled: sku.prepaidUnits.enabled,
      consumed: sku.consumedUnits,
      available: Math.max(0, sku.prepaidUnits.enabled - sku.consumedUnits),
    }));
  });

  const roleHolder = session.principal.kind === 'user' ? session.principal.name : input.userPrincipalName;
  const warnings = [
    ...notes,
    ...(roleHolder && !globalAdministrator && !notes.length
      ? [
          `${roleHolder} does not hold the Global Administrator role, which the host needs to manage mailboxes and licences: assign it in the Entra admin center.`,
        ]
      : []),
  ];
  return {
    id: organization.id,
    tenantId: organization.id,
    organization: organization.displayName,
    domain: input.domain,
    domainVerified: true,
    verifiedDomains,
    principal: session.principal,
    user: session.principal.name,
    roles,
    globalAdministrator,
    licences,
    steps,
    warnings,
    checkedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
  };
}

/** Well-known built-in role template ids (a built-in role definition's id is its template id). */
const builtInRoles: Record<string, string> = {
  [globalAdministratorRoleTemplateId]: 'Global Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
  '4d6ac14f-3453-41d0-bef9-a3e0c569773a': 'License Administrator',
};

async function userRoleAssignments(
  upn: string,
  graph: GraphOptions,
): Promise<{ name: string; templateId: string | null }[]> {
  const user = await graphGet<{ id: string }>(
    `/v1.0/users/${encodeURIComponent(upn)}`,
    `finding the user ${upn}`,
    graph,
  );
  const assignments = await graphGet<{ value: { roleDefinitionId: string }[] }>(
    `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${user.id}'`)}`,
    'reading the user’s role assignments',
    graph,
  );
  return assignments.value.map(({ roleDefinitionId }) => ({
    name: builtInRoles[roleDefinitionId] ?? roleDefinitionId,
    templateId: roleDefinitionId,
  }));
}
