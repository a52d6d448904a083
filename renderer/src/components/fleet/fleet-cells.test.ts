import { describe, expect, it } from 'vitest';
import type { FleetAgent, FleetRow } from '../../../../shared/common/fleet/fleet';
import {
  agentCopyCell,
  certificateCell,
  domainsCell,
  lastTestCell,
  routeCell,
  storeCell,
} from './fleet-cells';
import { driftHints, driftWords, reportSummary, rowsLeftOutNote } from './fleet-words';

const now = Date.parse('2026-11-26T12:00:00.000Z');
const mine = 'http://127.0.0.1:40002';
const row = (patch: Partial<FleetRow>): FleetRow => ({
  domain: 'contoso.test',
  connection: {
    id: '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a01',
    name: 'Contoso',
    revision: '2026-11-26T11:00:00.000Z',
    agentUrl: mine,
  },
  agentCopy: { present: true, revision: '2026-11-26T11:00:00.000Z' },
  route: { agentUrl: mine, connectionId: '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a01' },
  drift: [],
  repairs: [],
  ...patch,
});
const agent = (patch: Partial<FleetAgent>): FleetAgent => ({
  url: 'https://agent.contoso.test:40002',
  host: 'agent.contoso.test',
  port: 40002,
  useTls: true,
  state: 'running',
  version: '1.4.0',
  domains: [],
  lastTest: null,
  certificateExpiresAt: null,
  sources: ['connection'],
  durationMs: 12,
  ...patch,
});

describe('the three copies of a domain, in words', () => {
  it('compares the agent’s copy with the store’s revision', () => {
    expect(agentCopyCell(row({}), now)).toMatchObject({ text: 'Same as the store', tone: 'ok' });
    expect(
      agentCopyCell(row({ agentCopy: { present: true, revision: '2026-11-26T09:00:00.000Z' } }), now),
    ).toMatchObject({ text: 'Older: 3 hours ago', tone: 'bad' });
    expect(agentCopyCell(row({ agentCopy: { present: true, revision: null } }), now)).toMatchObject({
      text: 'Copy without revision',
      tone: 'bad',
    });
    expect(agentCopyCell(row({ agentCopy: { present: false, revision: null } }), now).text).toBe('No copy');
    expect(agentCopyCell(row({ agentCopy: null }), now).text).toBe('Could not be asked');
    // Equal instants in other spellings are the same revision.
    expect(
      agentCopyCell(row({ agentCopy: { present: true, revision: '2026-11-26T12:00:00+01:00' } }), now).text,
    ).toBe('Same as the store');
  });

  it('names a route to another agent, a missing route and a route without a connection', () => {
    expect(routeCell(row({}))).toEqual({ text: mine, tone: 'ok' });
    const saved = '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a01';
    const other = '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a02';
    expect(routeCell(row({ route: { agentUrl: 'http://127.0.0.1:40003', connectionId: saved } }))).toEqual({
      text: 'http://127.0.0.1:40003',
      tone: 'bad',
      title: `The connection’s agent is ${mine}`,
    });
    expect(routeCell(row({ route: { agentUrl: mine, connectionId: other } }))).toEqual({
      text: mine,
      tone: 'bad',
      title: `The route names connection ${other}, not Contoso (${saved})`,
    });
    expect(routeCell(row({ route: { agentUrl: 'http://127.0.0.1:40003', connectionId: other } })).title).toBe(
      `The connection’s agent is ${mine}. The route names connection ${other}, not Contoso (${saved})`,
    );
    expect(routeCell(row({ route: null })).text).toBe('No route');
    const orphan = row({ connection: null, agentCopy: null });
    expect(storeCell(orphan, now)).toEqual({ text: 'No connection', tone: 'bad' });
    expect(routeCell(orphan).tone).toBe('bad');
    expect(agentCopyCell(orphan, now).text).toBe('Not applicable');
    expect(storeCell(row({}), now).text).toBe('Contoso · saved 1 hour ago');
  });
});

describe('an agent, in words', () => {
  it('lists a few domains and puts every one in the tooltip', () => {
    const domains = ['a.test', 'b.test', 'c.test', 'd.test', 'e.test'];
    expect(domainsCell(agent({ domains }))).toEqual({
      text: 'a.test, b.test, c.test +2 more',
      tone: 'ok',
      title: domains.join(', '),
    });
    expect(domainsCell(agent({})).text).toBe('None');
    expect(domainsCell(agent({ state: 'unreachable' })).text).toBe('Not known');
  });

  it('judges the certificate’s expiry as the Expires column does', () => {
    expect(certificateCell(agent({ useTls: false }), now).text).toBe('Plain HTTP');
    expect(certificateCell(agent({}), now).text).toBe('Unknown');
    expect(certificateCell(agent({ certificateExpiresAt: '2026-12-06T12:00:00.000Z' }), now)).toMatchObject({
      text: 'Expires in 10 days',
      tone: 'warning',
    });
    expect(certificateCell(agent({ certificateExpiresAt: '2027-11-26T12:00:00.000Z' }), now).tone).toBe('ok');
    expect(certificateCell(agent({ certificateExpiresAt: '2026-11-24T12:00:00.000Z' }), now)).toMatchObject({
      text: 'Expired 2 days ago',
      tone: 'bad',
    });
  });

  it('shows the last test through the agent', () => {
    expect(lastTestCell(agent({}), now)).toEqual({ text: 'Never tested', tone: 'muted' });
    expect(
      lastTestCell(
        agent({ lastTest: { ok: false, at: '2026-11-25T12:00:00.000Z', summary: 'Sign-in refused.' } }),
        now,
      ),
    ).toMatchObject({ text: 'Failed · yesterday', tone: 'bad' });
  });
});

describe('the repair report', () => {
  it('counts only the outcomes that occurred, in a fixed order', () => {
    const result = (outcome: 'done' | 'failed' | 'skipped') => ({
      domain: 'contoso.test',
      action: 'updateAgent' as const,
      outcome,
      message: '',
    });
    expect(reportSummary([result('skipped'), result('done'), result('done'), result('failed')])).toBe(
      '2 done, 1 failed, 1 skipped.',
    );
    expect(reportSummary([])).toBe('Nothing needed repairing.');
  });
});

describe('drift in words', () => {
  it('labels a route for another connection and says what fixes it', () => {
    expect(driftWords.routeToOtherConnection).toBe('Route names another connection');
    expect(driftHints.routeToOtherConnection).toContain('Update Agent in WE');
    // Every kind has a label and a hint of its own.
    expect(new Set(Object.values(driftWords)).size).toBe(Object.keys(driftWords).length);
    expect(Object.keys(driftHints).sort()).toEqual(Object.keys(driftWords).sort());
  });

  it('notes the domains a status left out, and nothing when it holds them all', () => {
    expect(rowsLeftOutNote({ rowsTruncated: 5 })).toBe(
      '5 more domain(s) not shown: the check lists at most 10,000, those with drift first.',
    );
    expect(rowsLeftOutNote({})).toBeNull();
  });
});
