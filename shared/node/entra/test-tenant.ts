import { globalAdministratorRoleTemplateId, type TenantTestResult } from '../../common/entra/tenant-test';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { type Cloud, endpointsFor } from './cloud-endpoints';
import type { GraphOptions } from './graph-client';
import { type SignInInput, signIn } from './sign-in';
import {
  assertDomainVerified,
  findUser,
  type Role,
  readDirectoryRoles,
  readDomain,
  readLicences,
  readOrganization,
  readRoleAssignments,
  tenantGraphOptions,
} from './tenant-graph-reads';

export interface TenantTestInput extends Omit<SignInInput, 'endpoints'> {
  cloud: Cloud;
  authorityHost?: string;
  graphHost?: string;
  onStep?: (step: string, done: number, total: number) => void;
  retryBudgetMs?: number;
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
  const graph = tenantGraphOptions(input, endpoints, session.accessToken);
  const organization = await timed('Reading the organization', 1, () => readOrganization(graph));
  const verifiedDomains = organization.verifiedDomains.map((d) => d.name.toLowerCase());

  const domain = await timed(`Checking the domain ${input.domain}`, 2, () => readDomain(input.domain, graph));
  assertDomainVerified(input.domain, domain, organization);

  const roles = await timed('Reading the directory roles', 3, async () => {
    if (session.principal.kind === 'user') return readDirectoryRoles(graph);
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

  const licences = await timed('Reading the licences', 4, () => readLicences(graph));

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

async function userRoleAssignments(upn: string, graph: GraphOptions): Promise<Role[]> {
  const user = await findUser(upn, graph);
  return readRoleAssignments(user.id, graph);
}
