import { describe, expect, it } from 'vitest';
import { ConnectionViewSchema } from '../../common/connections/connection';
import type { TestHistoryEntry } from '../../common/connections/test-history';
import { certificateExpiryOf, lastTestsByAgent } from './agent-facts';
import { targetOf } from './agent-target';
import type { FleetConnection } from './fleet-connections';

// What the Agents view shows per agent from the store alone: its last test and its certificate's expiry.

const agent = targetOf({ host: 'Agent.Corp.Example', port: 40002, useTls: true });

function connection(n: number, fields: Record<string, unknown> = {}): FleetConnection {
  const view = ConnectionViewSchema.parse({
    kind: 'microsoftOnline',
    id: `00000000-0000-4000-8000-00000000000${n}`,
    name: `c${n}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    tenantDomain: `c${n}.test`,
    authMode: 'password',
    userPrincipalName: `admin@c${n}.test`,
    remoteAgent: { host: 'agent.corp.example', port: 40002, useTls: true },
    hasSecret: true,
    ...fields,
  });
  if (view.kind !== 'microsoftOnline') throw new Error('not Microsoft Online');
  return view;
}

const entry = (at: string, source: TestHistoryEntry['source'], ok = true): TestHistoryEntry => ({
  at,
  durationMs: 120,
  ok,
  summary: `${source} at ${at}`,
  source,
});

describe('lastTestsByAgent', () => {
  it('prefers the newest test that ran on the agent over a later local one', () => {
    const c1 = connection(1, {
      lastTest: { ok: true, at: '2026-03-05T00:00:00.000Z', summary: 'dialog at 2026-03-05' },
    });
    const history = [
      entry('2026-03-01T00:00:00.000Z', 'agent'),
      entry('2026-03-02T00:00:00.000Z', 'agent', false),
      entry('2026-03-05T00:00:00.000Z', 'dialog'),
    ];
    const tests = lastTestsByAgent([c1], () => history);
    expect(tests.get(agent.url)).toEqual({
      ok: false,
      at: '2026-03-02T00:00:00.000Z',
      summary: 'agent at 2026-03-02T00:00:00.000Z',
    });
  });

  it('a connection without history counts with its last test; the newest over the agent’s connections wins', () => {
    const legacy = connection(1, {
      lastTest: { ok: true, at: '2026-04-01T00:00:00.000Z', summary: 'before the history' },
    });
    const local = connection(2, {
      lastTest: { ok: true, at: '2026-05-01T00:00:00.000Z', summary: 'local only' },
    });
    const tests = lastTestsByAgent([legacy, local], (id) =>
      id === local.id ? [entry('2026-05-01T00:00:00.000Z', 'wizard')] : [],
    );
    expect(tests.get(agent.url)?.summary).toBe('before the history');
  });
});

describe('certificateExpiryOf', () => {
  it('the latest recorded expiry of this agent’s certificate; null for another agent or plain HTTP', () => {
    const expiry = (notAfter: string, checkedAt: string, source = 'https://agent.corp.example:40002') => ({
      what: 'agentCertificate',
      notAfter,
      source,
      checkedAt,
    });
    const connections = [
      connection(1, { expiries: [expiry('2027-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')] }),
      connection(2, {
        expiries: [
          expiry('2028-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z'),
          expiry('2029-01-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z', 'https://other:40002'),
        ],
      }),
    ];
    expect(certificateExpiryOf(agent, connections)).toBe('2028-01-01T00:00:00.000Z');
    expect(certificateExpiryOf(targetOf({ host: 'other', port: 1, useTls: true }), connections)).toBeNull();
    expect(
      certificateExpiryOf(targetOf({ host: 'agent.corp.example', port: 40002, useTls: false }), connections),
    ).toBeNull();
  });
});
