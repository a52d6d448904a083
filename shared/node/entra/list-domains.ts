import type { Cloud } from './cloud-endpoints';
import { endpointsFor } from './cloud-endpoints';
import { graphGet } from './graph-client';
import { type SignInInput, signIn } from './sign-in';

export interface ListDomainsInput extends Omit<SignInInput, 'endpoints'> {
  cloud: Cloud;
  authorityHost?: string;
  graphHost?: string;
}

/** The tenant's verified domains, for the wizard's "also create connections for" offer. */
export async function listVerifiedDomains(
  input: ListDomainsInput,
): Promise<{ tenantId: string; domains: { name: string; isDefault: boolean; isInitial: boolean }[] }> {
  const endpoints = endpointsFor(input.cloud, {
    ...(input.authorityHost ? { authorityHost: input.authorityHost } : {}),
    ...(input.graphHost ? { graphHost: input.graphHost } : {}),
  });
  const session = await signIn({ ...input, endpoints });
  const organization = await graphGet<{
    value: { id: string; verifiedDomains: { name: string; isDefault: boolean; isInitial: boolean }[] }[];
  }>('/v1.0/organization', 'reading the verified domains', {
    graphHost: endpoints.graphHost,
    accessToken: session.accessToken,
    timeoutMs: input.timeoutMs,
    ...(input.caPem ? { caPem: input.caPem } : {}),
    ...(input.trustSystemStore === false ? { trustSystemStore: false } : {}),
  });
  const tenant = organization.value[0];
  return {
    tenantId: tenant?.id ?? '',
    domains: (tenant?.verifiedDomains ?? []).map(({ name, isDefault, isInitial }) => ({
      name: name.toLowerCase(),
      isDefault,
      isInitial,
    })),
  };
}
