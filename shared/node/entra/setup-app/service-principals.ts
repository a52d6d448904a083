import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { equalsFilter, type GraphSession, graphFailure, graphJson, graphSend } from './graph-calls';
import { microsoftGraphAppId } from './graph-permissions';
import { untilReplicated } from './replication-retry';

interface ServicePrincipalView {
  id: string;
  appId?: string;
  appRoles?: { id: string; value: string | null; allowedMemberTypes?: string[] }[];
}

async function findServicePrincipal(
  graph: GraphSession,
  appId: string,
  select: string,
  activity: string,
): Promise<ServicePrincipalView | null> {
  const found = await graphJson<{ value: ServicePrincipalView[] }>(
    graph,
    'GET',
    `/v1.0/servicePrincipals?${equalsFilter('appId', appId)}&$select=${select}`,
    activity,
  );
  return found.value[0] ?? null;
}

/**
 * The application's service principal (its identity in the tenant, which permissions are granted to): found, or
 * created. A new application may not be visible to that request yet; it is tried again for a few seconds.
 */
export async function ensureServicePrincipal(
  graph: GraphSession,
  appId: string,
): Promise<{ id: string; existed: boolean }> {
  const activity = 'creating the service principal';
  const existing = await findServicePrincipal(graph, appId, 'id,appId', activity);
  if (existing) return { id: existing.id, existed: true };
  return untilReplicated<{ id: string; existed: boolean }>(async () => {
    const answer = await graphSend(graph, 'POST', '/v1.0/servicePrincipals', activity, { appId });
    if (answer.status >= 200 && answer.status < 300)
      return { value: { id: String(answer.body.id), existed: false } };
    if (answer.status === 409) {
      const raced = await findServicePrincipal(graph, appId, 'id,appId', activity);
      if (raced) return { value: { id: raced.id, existed: true } };
    }
    if (answer.status === 400 && /valid application object/i.test(answer.graphMessage ?? ''))
      return { notYet: graphFailure(answer, activity) };
    throw graphFailure(answer, activity);
  }, graph.signal);
}

/** Microsoft Graph's service principal in this tenant, with its app roles (application permissions) by value. */
export async function microsoftGraphServicePrincipal(
  graph: GraphSession,
): Promise<{ id: string; roleIds: Map<string, string> }> {
  const activity = 'reading Microsoft Graph’s permissions';
  const graphPrincipal = await findServicePrincipal(
    graph,
    microsoftGraphAppId,
    'id,appId,appRoles',
    activity,
  );
  if (!graphPrincipal)
    throw new AppFailure({
      code: AppErrorCode.entraGraphNotFound,
      message:
        'This tenant has no service principal for Microsoft Graph, so its permissions cannot be granted.',
      hint: 'Check the tenant in the Entra admin center (Enterprise applications → Microsoft Graph).',
      detail: { appId: microsoftGraphAppId },
    });
  const roleIds = new Map<string, string>();
  for (const role of graphPrincipal.appRoles ?? []) {
    if (role.value && (role.allowedMemberTypes ?? ['Application']).includes('Application'))
      roleIds.set(role.value, role.id);
  }
  return { id: graphPrincipal.id, roleIds };
}

/** The app role ids of `resourceId` already granted to `principalId`. */
export async function grantedRoleIds(
  graph: GraphSession,
  principalId: string,
  resourceId: string,
): Promise<Set<string>> {
  const found = await graphJson<{ value: { appRoleId: string; resourceId: string }[] }>(
    graph,
    'GET',
    `/v1.0/servicePrincipals/${encodeURIComponent(principalId)}/appRoleAssignments`,
    'reading the permissions granted so far',
  );
  return new Set(
    found.value.filter((grant) => grant.resourceId === resourceId).map((grant) => grant.appRoleId),
  );
}

/**
 * Grants one application permission: an app role assignment on the resource's service principal, which is admin
 * consent. "Already exists" counts as granted (an earlier attempt whose answer was lost).
 */
export async function grantRole(
  graph: GraphSession,
  grant: { principalId: string; resourceId: string; appRoleId: string; permission: string },
): Promise<void> {
  const activity = `granting ${grant.permission}`;
  await untilReplicated(async () => {
    const answer = await graphSend(
      graph,
      'POST',
      `/v1.0/servicePrincipals/${encodeURIComponent(grant.resourceId)}/appRoleAssignedTo`,
      activity,
      { principalId: grant.principalId, resourceId: grant.resourceId, appRoleId: grant.appRoleId },
    );
    if (answer.status >= 200 && answer.status < 300) return { value: true };
    if (answer.status === 400 && /already exists/i.test(answer.graphMessage ?? '')) return { value: true };
    // The new service principal not replicated yet to the server that took this request.
    if (answer.status === 404 || (answer.status === 400 && /principalId/i.test(answer.graphMessage ?? '')))
      return { notYet: graphFailure(answer, activity) };
    throw graphFailure(answer, activity);
  }, graph.signal);
}
