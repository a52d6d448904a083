import { globalAdministratorRoleTemplateId } from '../../../common/entra/tenant-test';
import { type AppError, AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { GraphOptions } from '../../entra/graph-client';
import type { SignedIn } from '../../entra/sign-in';
import {
  assertDomainVerified,
  findUser,
  type Organization,
  type Role,
  readDirectoryRoles,
  readDomain,
  readLicences,
  readOrganization,
  readRoleAssignments,
} from '../../entra/tenant-graph-reads';
import type { StageFinding, StageLane } from '../stage-runner';

/** The tenant test's Graph calls, by stage id, in the order the tenant test makes them. */
export const graphStageNames = {
  'graph.organization': 'Graph: organization',
  'graph.domain': 'Graph: the domain',
  'graph.directoryRoles': 'Graph: the user’s directory roles',
  'graph.user': 'Graph: the admin user',
  'graph.roleAssignments': 'Graph: the admin user’s role assignments',
  'graph.subscribedSkus': 'Graph: licences',
} as const;
export type GraphStageId = keyof typeof graphStageNames;

/** Which Graph calls the tenant test makes for this principal (the role reads depend on its kind). */
export function graphStagesFor(
  principal: SignedIn['principal']['kind'],
  userPrincipalName?: string,
): GraphStageId[] {
  const roles: GraphStageId[] =
    principal === 'user'
      ? ['graph.directoryRoles']
      : userPrincipalName
        ? ['graph.user', 'graph.roleAssignments']
        : [];
  return ['graph.organization', 'graph.domain', ...roles, 'graph.subscribedSkus'];
}

/** The role reads an app may be refused: the tenant test then falls back to the app's own permissions. */
const refusedIsWarning = (error: unknown): AppError | null =>
  error instanceof AppFailure && error.appError.code === AppErrorCode.entraInsufficientPrivileges
    ? {
        ...error.appError,
        hint: 'Grant the app RoleManagement.Read.Directory and User.Read.All (admin consent), or the Global Administrator check uses the app’s own permissions.',
      }
    : null;

type Refusable<T> = { value: T } | { refused: AppError };

async function refusable<T>(work: () => Promise<T>): Promise<Refusable<T>> {
  try {
    return { value: await work() };
  } catch (error) {
    const refused = refusedIsWarning(error);
    if (refused) return { refused };
    throw error;
  }
}

const refusedFinding = <T>(result: Refusable<T>, found: (value: T) => StageFinding): StageFinding =>
  'refused' in result ? { detail: 'not permitted', warning: result.refused } : found(result.value);

const rolesFinding = (roles: Role[]): StageFinding => ({
  detail: `${roles.length} role${roles.length === 1 ? '' : 's'}${
    roles.some((role) => role.templateId === globalAdministratorRoleTemplateId)
      ? ', Global Administrator'
      : ', not a Global Administrator'
  }`,
});

/**
 * One stage per Graph call, each started as soon as what it needs is there: the reads that need only the token
 * at once (in the tenant test's order, which the waterfall keeps), the role assignments once the user is found.
 * Resolves when every one has ended.
 */
export async function runGraphStages(
  run: StageLane,
  graph: GraphOptions,
  session: SignedIn,
  connection: { tenantDomain: string; userPrincipalName?: string | undefined },
): Promise<void> {
  const plan = graphStagesFor(session.principal.kind, connection.userPrincipalName);
  const roles = plan.includes('graph.directoryRoles') || plan.includes('graph.user');
  // One lane per independent call (the user and its role assignments share one), placed in the plan's order.
  const [organizationLane, domainLane, rolesLane, licencesLane] = run.fork(roles ? 4 : 3) as [
    StageLane,
    StageLane,
    StageLane,
    StageLane | undefined,
  ];
  const stage = <T>(
    lane: StageLane,
    id: GraphStageId,
    body: () => Promise<T>,
    finding?: (value: T) => StageFinding,
  ) => lane.stage(id, graphStageNames[id], body, finding ? { finding } : {});

  // Started first, so that the domain's verdict can name the tenant's verified domains without another call.
  const organization = readOrganization(graph);
  organization.catch(() => {});
  const work: Promise<unknown>[] = [
    stage(
      organizationLane,
      'graph.organization',
      () => organization,
      (found: Organization) => ({
        detail: `${found.displayName} (${found.id}), ${found.verifiedDomains.length} verified domains`,
      }),
    ),
    stage(
      domainLane,
      'graph.domain',
      async () => {
        const found = await readDomain(connection.tenantDomain, graph);
        // Without the organization, the domain's own answer decides (and the hint lists nothing).
        const tenant = await organization.catch(() => ({
          id: '',
          verifiedDomains: found?.isVerified ? [{ name: connection.tenantDomain }] : [],
        }));
        assertDomainVerified(connection.tenantDomain, found, tenant);
        return found;
      },
      () => ({ detail: `${connection.tenantDomain} is verified` }),
    ),
  ];
  if (plan.includes('graph.directoryRoles'))
    work.push(stage(rolesLane, 'graph.directoryRoles', () => readDirectoryRoles(graph), rolesFinding));
  if (plan.includes('graph.user') && connection.userPrincipalName)
    work.push(userRoleStages(rolesLane, graph, connection.userPrincipalName));
  work.push(
    stage(
      licencesLane ?? rolesLane,
      'graph.subscribedSkus',
      () => readLicences(graph),
      (licences) => ({ detail: `${licences.length} licence${licences.length === 1 ? '' : 's'}` }),
    ),
  );
  await Promise.all(work);
}

/** App-only: the admin user, then that user's role assignments; either may be refused, which only warns. */
async function userRoleStages(lane: StageLane, graph: GraphOptions, upn: string): Promise<void> {
  const user = await lane.stage(
    'graph.user',
    graphStageNames['graph.user'],
    () => refusable(() => findUser(upn, graph)),
    { finding: (result) => refusedFinding(result, () => ({ detail: upn })) },
  );
  if (!user || 'refused' in user) {
    lane.skip('graph.roleAssignments', graphStageNames['graph.roleAssignments'], `needs ${upn}’s object id`);
    return;
  }
  await lane.stage(
    'graph.roleAssignments',
    graphStageNames['graph.roleAssignments'],
    () => refusable(() => readRoleAssignments(user.value.id, graph)),
    { finding: (result) => refusedFinding(result, rolesFinding) },
  );
}
