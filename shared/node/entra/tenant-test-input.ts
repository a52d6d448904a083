import type { AgentConnectionPut } from '../../common/agent/agent-api';
import type { EntraDestination } from '../connections/secret-binding';
import type { TenantTestInput } from './test-tenant';

/** A saved connection's sign-in settings besides its domain and auth mode: what the Remote Agent keeps of it. */
export type EntraSignInFields = Omit<AgentConnectionPut, 'authMode' | 'secret'>;

/** How one test runs, as opposed to what it signs in to: time limit, trust, cancellation, progress. */
export type TenantTestRun = Omit<TenantTestInput, 'mode' | 'domain' | 'secret' | keyof EntraSignInFields>;

/** The sign-in settings of a stored connection (the app's or the agent's), with the fields it has not set left out. */
export function entraSignInFields(destination: EntraDestination): EntraSignInFields {
  return {
    ...(destination.userPrincipalName ? { userPrincipalName: destination.userPrincipalName } : {}),
    ...(destination.clientId ? { clientId: destination.clientId } : {}),
    ...(destination.certificatePem ? { certificatePem: destination.certificatePem } : {}),
    cloud: destination.cloud,
    ...(destination.authorityHost ? { authorityHost: destination.authorityHost } : {}),
    ...(destination.graphHost ? { graphHost: destination.graphHost } : {}),
    ...(destination.caPem ? { caPem: destination.caPem } : {}),
  };
}

/**
 * A tenant test of a stored connection: the utility's TestConnection, its wizard and domain list, and the Remote
 * Agent's TestConnection all sign in from this one mapping. No secret (device code) leaves `secret` out.
 */
export function tenantTestInput(
  destination: EntraDestination,
  secret: string | undefined,
  run: TenantTestRun,
): TenantTestInput {
  return {
    mode: destination.authMode,
    domain: destination.domain,
    ...entraSignInFields(destination),
    ...(secret ? { secret } : {}),
    ...run,
  };
}
