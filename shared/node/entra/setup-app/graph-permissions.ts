/** Microsoft Graph's application (client) id: the same in every tenant. */
export const microsoftGraphAppId = '00000003-0000-0000-c000-000000000000';

/**
 * The Microsoft Graph application permissions the tenant test reads with (test-tenant.ts): the organization, the
 * domain, the administrator's role assignments and the user they belong to.
 */
export const tenantTestPermissions = [
  'Organization.Read.All',
  'Domain.Read.All',
  'RoleManagement.Read.Directory',
  'User.Read.All',
] as const;

/** The delegated permissions the administrator signs in with: register the application, grant its permissions. */
export const setupScopes = ['Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'] as const;

/** The delegated scopes as the sign-in asks for them: on the cloud's Graph resource (…/.default minus .default). */
export function setupScopesFor(graphScope: string): string[] {
  const resource = graphScope.replace(/\/\.default$/, '');
  return setupScopes.map((scope) => `${resource}/${scope}`);
}
