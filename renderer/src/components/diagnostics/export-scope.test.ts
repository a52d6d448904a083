import { describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../../../shared/common/connections/connection';
import { DiagnosticsBundleRequestSchema } from '../../../../shared/common/diagnostics/diagnosis';
import { askAgentByDefault, canAskAgent } from './diagnose-options';
import { allLabel, bundleLimit, bundleScope, formatBytes } from './export-scope';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const common = { createdAt: '2026-03-01T12:00:00Z', updatedAt: '2026-03-01T12:00:00Z' };
const online = (n: number, authMode: 'certificate' | 'browser'): ConnectionView => ({
  ...common,
  id: id(n),
  name: `Online ${n}`,
  kind: 'microsoftOnline',
  tenantDomain: 'contoso.test',
  authMode,
  cloud: 'global',
  remoteAgent: { host: 'localhost', port: 40002, useTls: false, allowInsecure: false },
  hasSecret: authMode === 'certificate',
});
const directory = (n: number): ConnectionView => ({
  ...common,
  id: id(n),
  name: `AD ${n}`,
  kind: 'activeDirectory',
  domain: 'contoso.test',
  targets: [{ host: 'dc1.contoso.test', port: 636, tls: 'ldaps' }],
  trust: { pinnedFingerprints: [] },
  allowInsecure: false,
  hasPassword: true,
});

describe('Export diagnostics…: which connections go in', () => {
  const connections = [directory(1), online(2, 'certificate'), online(3, 'browser')];

  it('names the selected connection, or none when nothing (or a vanished one) is selected', () => {
    expect(bundleScope('selected', connections, id(2))).toEqual([id(2)]);
    expect(bundleScope('selected', connections, null)).toEqual([]);
    expect(bundleScope('selected', connections, id(9))).toEqual([]);
  });

  it('names every connection for All, never more than one request may carry', () => {
    expect(bundleScope('all', connections, id(2))).toEqual([id(1), id(2), id(3)]);
    const many = Array.from({ length: bundleLimit + 3 }, (_, n) => directory(n));
    const ids = bundleScope('all', many, null);
    expect(ids).toHaveLength(bundleLimit);
    expect(DiagnosticsBundleRequestSchema.safeParse({ connectionIds: ids }).success).toBe(true);
    expect(DiagnosticsBundleRequestSchema.safeParse({ connectionIds: [...ids, id(99_999)] }).success).toBe(
      false,
    );
    expect(allLabel(many.length)).toBe(`The first ${bundleLimit} of ${many.length} connections`);
    expect(allLabel(1)).toBe('All 1 connection');
  });

  it('states sizes as people read them', () => {
    expect(formatBytes(900)).toBe('900 bytes');
    expect(formatBytes(20_480)).toBe('20.0 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });
});

describe('Diagnose…: whether the Remote Agent host is asked', () => {
  it('offers it for Microsoft Online only, on by default when the agent can hold the connection', () => {
    expect(canAskAgent(directory(1))).toBe(false);
    expect(askAgentByDefault(directory(1))).toBe(false);
    expect(canAskAgent(online(2, 'certificate'))).toBe(true);
    expect(askAgentByDefault(online(2, 'certificate'))).toBe(true);
    // Browser sign-in is never given to an agent: its host has no copy to run.
    expect(canAskAgent(online(3, 'browser'))).toBe(true);
    expect(askAgentByDefault(online(3, 'browser'))).toBe(false);
  });
});
