import type { Connection, ConnectionView } from './connection';

/** The names the legacy tool uses for the two kinds, shown in the panel, the CLI and the filter. */
export const connectionKindLabel = {
  activeDirectory: 'Microsoft Active Directory',
  microsoftOnline: 'Microsoft Online',
} as const;

/** The AD domain or the Microsoft 365 tenant domain. */
export function connectionDomain(connection: Connection): string {
  return connection.kind === 'activeDirectory' ? connection.domain : connection.tenantDomain;
}

export function hasStoredSecret(connection: ConnectionView): boolean {
  return connection.kind === 'activeDirectory' ? connection.hasPassword : connection.hasSecret;
}
