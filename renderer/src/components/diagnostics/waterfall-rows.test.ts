import { describe, expect, it } from 'vitest';
import {
  DiagnoseResultSchema,
  type Diagnosis,
  type Stage,
} from '../../../../shared/common/diagnostics/diagnosis';
import { commonScaleMs } from '../../../../shared/common/diagnostics/waterfall-layout';
import { barLabel, formatMs, rowHasFindings, waterfallRows } from './waterfall-rows';

const stage = (id: string, startMs: number, durationMs: number, extra: Partial<Stage> = {}): Stage => ({
  id,
  name: id.toUpperCase(),
  status: 'ok',
  startMs,
  durationMs,
  ...extra,
});

const diagnosis = (side: Diagnosis['side'], stages: Stage[]): Diagnosis => ({
  kind: 'microsoftOnline',
  side,
  domain: 'contoso.test',
  startedAt: '2026-03-01T12:00:00.000Z',
  durationMs: Math.max(...stages.map((s) => s.startMs + s.durationMs)),
  status: stages.some((s) => s.status === 'fail') ? 'fail' : 'ok',
  stages,
});

const tlsFailure = {
  code: 'entra.tlsInspected',
  message: 'The certificate is issued by Corp Proxy CA, a TLS-inspecting proxy.',
  hint: 'Add its CA to the agent or bypass the proxy for login.microsoftonline.com.',
};

describe('the waterfall’s rows', () => {
  const here = diagnosis('local', [
    stage('online.dns', 0, 5),
    stage('online.tcp', 5, 10),
    stage('online.tls', 15, 40),
    stage('online.oidc', 55, 30),
  ]);
  const there = diagnosis('agentHost', [
    stage('online.dns', 0, 8),
    stage('online.proxy', 8, 2),
    stage('online.tcp', 10, 12),
    stage('online.tls', 22, 300, { status: 'fail', error: tlsFailure }),
    stage('online.oidc', 322, 0, { status: 'skipped' }),
  ]);

  it('lines both hosts up by stage id, a stage only one ran in its planned place with the other side empty', () => {
    const [group] = waterfallRows([here, there], commonScaleMs([here, there]), 'online.tls');
    expect(group?.rows.map((row) => row.id)).toEqual([
      'online.dns',
      'online.proxy',
      'online.tcp',
      'online.tls',
      'online.oidc',
    ]);
    const proxy = group?.rows[1];
    expect(proxy?.cells[0]).toBeNull();
    expect(proxy?.cells[1]?.stage.id).toBe('online.proxy');
  });

  it('draws both sides on one scale: the same milliseconds make the same width on either side', () => {
    const scale = commonScaleMs([here, there]);
    expect(scale).toBe(322);
    const [group] = waterfallRows([here, there], scale, null);
    const tls = group?.rows.find((row) => row.id === 'online.tls');
    expect(tls?.cells[0]?.bar.width).toBeCloseTo(40 / 322);
    expect(tls?.cells[1]?.bar.width).toBeCloseTo(300 / 322);
    expect(tls?.cells[1]?.bar.left).toBeCloseTo(22 / 322);
    // A stage of 0 ms still shows a sliver.
    const oidc = group?.rows.find((row) => row.id === 'online.oidc');
    expect(oidc?.cells[1]?.bar.width).toBeGreaterThan(0);
  });

  it('marks only the difference’s row, and only rows with an error unfold', () => {
    const [group] = waterfallRows([here, there], 322, 'online.tls');
    expect(group?.rows.filter((row) => row.differs).map((row) => row.id)).toEqual(['online.tls']);
    expect(group?.rows.filter(rowHasFindings).map((row) => row.id)).toEqual(['online.tls']);
  });

  it('keeps each domain controller’s stages together though parallel probes interleave', () => {
    const ad: Diagnosis = {
      ...diagnosis('local', []),
      kind: 'activeDirectory',
      durationMs: 50,
      stages: [
        stage('dns.srv', 0, 4),
        stage('dc.a.dns', 4, 1, { group: 'a.contoso.test' }),
        stage('dc.b.dns', 4, 1, { group: 'b.contoso.test' }),
        stage('dc.a.tcp.636', 5, 3, { group: 'a.contoso.test' }),
        stage('dc.b.tcp.636', 5, 9, { group: 'b.contoso.test', status: 'fail', error: tlsFailure }),
        stage('account.read', 40, 10),
      ],
    };
    const groups = waterfallRows([ad], 50, null);
    expect(groups.map((group) => [group.name, group.rows.map((row) => row.id)])).toEqual([
      [undefined, ['dns.srv']],
      ['a.contoso.test', ['dc.a.dns', 'dc.a.tcp.636']],
      ['b.contoso.test', ['dc.b.dns', 'dc.b.tcp.636']],
      [undefined, ['account.read']],
    ]);
  });

  it('labels each bar in words for screen readers: stage, host, outcome, duration, start', () => {
    const [group] = waterfallRows([here, there], 322, null);
    const tls = group?.rows.find((row) => row.id === 'online.tls');
    const cell = tls?.cells[1];
    if (!cell) throw new Error('no agent-host cell');
    expect(barLabel(cell, 'Remote Agent host')).toBe(
      'ONLINE.TLS, Remote Agent host: failed, 300 ms, started at 22 ms',
    );
    expect(formatMs(12345.6)).toBe('12,346 ms');
  });

  it('accepts what the contract accepts: a result with no agent run has a single column', () => {
    const result = DiagnoseResultSchema.parse({
      connectionId: '0e9f3b7c-4d1a-4c55-9a3f-2f7d1b8e6c01',
      domain: 'contoso.test',
      checkedAt: '2026-03-01T12:00:01.000Z',
      thisComputer: here,
      remoteAgent: null,
      agentHost: null,
      difference: null,
    });
    const [group] = waterfallRows([result.thisComputer], commonScaleMs([result.thisComputer]), null);
    expect(group?.rows.every((row) => row.cells.length === 1 && row.cells[0] !== null)).toBe(true);
  });
});
