import type { ConnectionView } from '../../../../shared/common/connections/connection';

export type Scope = 'selected' | 'all';

/** How many connections one bundle may name: DiagnosticsBundleRequestSchema's limit (its test holds them equal). */
export const bundleLimit = 500;

/** The connection ids a bundle asks for: the selected one, or every connection up to the request's limit. */
export function bundleScope(
  scope: Scope,
  connections: readonly ConnectionView[],
  selectedId: string | null,
): string[] {
  if (scope === 'selected')
    return connections.some((c) => c.id === selectedId) && selectedId ? [selectedId] : [];
  return connections.slice(0, bundleLimit).map((c) => c.id);
}

/** "All 12 connections", or what part of a very long list goes in. */
export function allLabel(count: number): string {
  return count > bundleLimit
    ? `The first ${bundleLimit} of ${count} connections`
    : `All ${count} connection${count === 1 ? '' : 's'}`;
}

/** A file's size as people read it: bytes, KiB or MiB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
