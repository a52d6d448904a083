import type { ConnectionKind } from './connection';

/**
 * How each kind reads in a default name. A domain usually has both kinds (its AD and its Microsoft 365 tenant), so
 * the domain alone would give two rows of the same name in the panel.
 */
const kindInName = {
  activeDirectory: 'Active Directory',
  microsoftOnline: 'Microsoft 365',
} as const satisfies Record<ConnectionKind, string>;

/** The name a new connection gets unless the admin types one, e.g. "contoso.com (Active Directory)". */
export function defaultConnectionName(kind: ConnectionKind, domain: string): string {
  const normalised = domain.trim().toLowerCase();
  // No domain yet, no name: the required-name check then points at the domain the admin has still to type.
  return normalised ? `${normalised} (${kindInName[kind]})` : '';
}
