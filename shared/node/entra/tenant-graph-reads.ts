import { globalAdministratorRoleTemplateId } from '../../common/entra/tenant-test';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import type { Endpoints } from './cloud-endpoints';
import { type GraphOptions, graphGet } from './graph-client';

// The Graph calls of the tenant test, one function each: testTenant makes them one after another, a diagnosis
// makes those that do not depend on each other at once and times each as a stage of its own.

export interface Organization {
  id: string;
  displayName: string;
  verifiedDomains: { name: string }[];
}
export interface TenantDomain {
  id: string;
  isVerified: boolean;
}
export interface Role {
  name: string;
  templateId: string | null;
}
export interface Licence {
  sku: string;
  enabled: number;
  consumed: number;
  available: number;
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

/** How the tenant test calls Graph with a signed-in token: the connection's host, trust, limits and callbacks. */
export function tenantGraphOptions(
  input: {
    timeoutMs: number;
    caPem?: string;
    trustSystemStore?: boolean;
    signal?: AbortSignal;
    onCall?: (url: string) => void;
    retryBudgetMs?: number;
    maxTries?: number;
  },
  endpoints: Endpoints,
  accessToken: string,
): GraphOptions {
  return {
    graphHost: endpoints.graphHost,
    accessToken,
    timeoutMs: input.timeoutMs,
    ...(input.caPem ? { caPem: input.caPem } : {}),
    ...(input.trustSystemStore === false ? { trustSystemStore: false } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onCall ? { onCall: input.onCall } : {}),
    ...(input.retryBudgetMs ? { retryBudgetMs: input.retryBudgetMs } : {}),
    ...(input.maxTries ? { maxTries: input.maxTries } : {}),
  };
}

export async function readOrganization(graph: GraphOptions): Promise<Organization> {
  const found = await graphGet<{ value: Organization[] }>(
    '/v1.0/organization',
    'reading the organization',
    graph,
  );
  const organization = found.value[0];
  if (!organization)
    throw new AppFailure({
      code: AppErrorCode.entraGraphError,
      message: 'Microsoft Graph returned no organization for this tenant.',
      hint: 'Check the tenant domain: the sign-in succeeded, but for a tenant Graph does not describe.',
    });
  return organization;
}

/** The domain as Graph knows it; null when the tenant has no such domain. */
export function readDomain(domain: string, graph: GraphOptions): Promise<TenantDomain | null> {
  return graphGet<TenantDomain>(
    `/v1.0/domains/${encodeURIComponent(domain)}`,
    `checking the domain ${domain}`,
    graph,
  ).catch((error: unknown) => {
    if (error instanceof AppFailure && error.appError.code === AppErrorCode.entraGraphNotFound) return null;
    throw error;
  });
}

/** Fails unless the domain is in the tenant and verified there. */
export function assertDomainVerified(
  domain: string,
  found: TenantDomain | null,
  organization: Pick<Organization, 'id' | 'verifiedDomains'>,
): void {
  const verifiedDomains = organization.verifiedDomains.map((d) => d.name.toLowerCase());
  if (found?.isVerified && verifiedDomains.includes(domain.toLowerCase())) return;
  throw new AppFailure({
    code: AppErrorCode.entraDomainNotVerified,
    message: found
      ? `${domain} is in the tenant but not verified.`
      : `${domain} is not a domain of this tenant.`,
    hint: `Verify the domain in the Microsoft 365 admin center, or use one of: ${verifiedDomains.join(', ')}.`,
    detail: { domain, tenantId: organization.id },
  });
}

/** The signed-in user's directory roles (delegated sign-in). */
export async function readDirectoryRoles(graph: GraphOptions): Promise<Role[]> {
  const found = await graphGet<{ value: DirectoryRole[] }>(
    '/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole',
    'reading the user’s directory roles',
    graph,
  );
  return found.value.map((role) => ({ name: role.displayName, templateId: role.roleTemplateId ?? null }));
}

/** The user's object id, by UPN (app-only: User.Read.All). */
export async function findUser(upn: string, graph: GraphOptions): Promise<{ id: string }> {
  return graphGet<{ id: string }>(`/v1.0/users/${encodeURIComponent(upn)}`, `finding the user ${upn}`, graph);
}

/** Well-known built-in role template ids (a built-in role definition's id is its template id). */
const builtInRoles: Record<string, string> = {
  [globalAdministratorRoleTemplateId]: 'Global Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
  '4d6ac14f-3453-41d0-bef9-a3e0c569773a': 'License Administrator',
};

/** A user's role assignments, the app-only way (RoleManagement.Read.Directory). */
export async function readRoleAssignments(userId: string, graph: GraphOptions): Promise<Role[]> {
  const assignments = await graphGet<{ value: { roleDefinitionId: string }[] }>(
    `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${userId}'`)}`,
    'reading the user’s role assignments',
    graph,
  );
  return assignments.value.map(({ roleDefinitionId }) => ({
    name: builtInRoles[roleDefinitionId] ?? roleDefinitionId,
    templateId: roleDefinitionId,
  }));
}

export async function readLicences(graph: GraphOptions): Promise<Licence[]> {
  const found = await graphGet<{ value: Sku[] }>('/v1.0/subscribedSkus', 'reading the licences', graph);
  return found.value.map((sku) => ({
    sku: sku.skuPartNumber,
    enabled: sku.prepaidUnits.enabled,
    consumed: sku.consumedUnits,
    available: Math.max(0, sku.prepaidUnits.enabled - sku.consumedUnits),
  }));
}
