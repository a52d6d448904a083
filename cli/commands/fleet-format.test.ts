import { describe, expect, it } from 'vitest';
import type { FleetRepairReport, FleetStatus } from '../../shared/common/fleet/fleet';
import { humanRepair, humanStatus } from './fleet-format';

// An agent's version and problem, a route's URL and a routes file's domains are outside text: the tables print
// them without their control characters.

const hostile = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\nFAKE: OK\r';
/** The control characters (C0, DEL, C1) in `text` but the line breaks the formatter itself writes. */
const controlsIn = (text: string) =>
  [...text].filter((character) => {
    const code = character.codePointAt(0) ?? 0;
    return code !== 0x0a && (code < 0x20 || (code >= 0x7f && code <= 0x9f));
  });

const status: FleetStatus = {
  checkedAt: '2030-01-01T00:00:00.000Z',
  routesFile: `/tmp/routes${hostile}.json`,
  agents: [
    {
      url: 'http://127.0.0.1:40002',
      host: '127.0.0.1',
      port: 40002,
      useTls: false,
      state: 'keyRejected',
      message: `The agent says ${hostile}`,
      version: `1.0${hostile}`,
      domains: [],
      lastTest: { ok: false, at: '2030-01-01T00:00:00.000Z', summary: 'x' },
      certificateExpiresAt: null,
      sources: ['route'],
      durationMs: 3,
    },
  ],
  truncated: 7,
  rows: [
    {
      domain: `contoso.test${hostile}`,
      connection: null,
      agentCopy: null,
      route: { agentUrl: `http://evil${hostile}:1`, connectionId: 'c' },
      drift: ['routeWithoutConnection'],
      repairs: ['removeRoute'],
    },
  ],
  driftCount: 1,
};

describe('fleet human output with hostile text', () => {
  it('fleet status: no control character but its own line breaks, no forged line', () => {
    const text = humanStatus(status);
    expect(controlsIn(text)).toEqual([]);
    expect(text.split('\n').filter((line) => line.startsWith('FAKE'))).toEqual([]);
    expect(text).toContain('The agent says ]0;pwned[2J31m FAKE: OK');
    expect(text).toContain('7 more agent(s) were not probed');
  });

  it('fleet repair: the same for its messages', () => {
    const report: FleetRepairReport = {
      results: [
        { domain: `d${hostile}`, action: 'removeRoute', outcome: 'failed', message: `No ${hostile}` },
      ],
      after: status,
    };
    const text = humanRepair(report);
    expect(controlsIn(text)).toEqual([]);
    expect(text.split('\n').filter((line) => line.startsWith('FAKE'))).toEqual([]);
  });
});

describe('fleet human output of a route for another connection and of rows left out', () => {
  const saved = '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a01';
  const named = '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a02';
  const agentUrl = 'http://127.0.0.1:40002';
  const row = (domain: string, connectionId: string): FleetStatus['rows'][number] => ({
    domain,
    connection: { id: saved, name: 'Contoso', revision: '2030-01-01T00:00:00.000Z', agentUrl },
    agentCopy: { present: true, revision: '2030-01-01T00:00:00.000Z' },
    route: { agentUrl, connectionId },
    drift: connectionId === saved ? [] : ['routeToOtherConnection'],
    repairs: connectionId === saved ? [] : ['registerRoute'],
  });
  const fleet = (rows: FleetStatus['rows'], rowsTruncated?: number): FleetStatus => ({
    checkedAt: '2030-01-01T00:00:00.000Z',
    routesFile: '/tmp/routes.json',
    agents: [],
    rows,
    ...(rowsTruncated ? { rowsTruncated } : {}),
    driftCount: rows.filter((r) => r.drift.length).length,
  });

  it('names the drift and the connection the route names, only where it is not the saved one', () => {
    const text = humanStatus(fleet([row('a.test', named), row('b.test', saved)]));
    const lineOf = (domain: string) => text.split('\n').find((line) => line.startsWith(domain)) ?? '';
    expect(lineOf('a.test')).toMatch(
      new RegExp(`${agentUrl} \\(connection ${named}\\) +route for another connection +registerRoute`),
    );
    expect(lineOf('b.test')).not.toContain('(connection');
    expect(lineOf('b.test')).toMatch(/ ok +-$/);
  });

  it('says how many domains were left out, above the table, and nothing when none were', () => {
    const text = humanStatus(fleet([row('a.test', named)], 5));
    const lines = text.split('\n');
    const note = lines.findIndex((line) => line.startsWith('5 more domain(s) not listed'));
    expect(note).toBeGreaterThan(-1);
    expect(lines[note]).toContain('at most 10000 rows, those with drift first');
    expect(lines.findIndex((line) => line.startsWith('DOMAIN'))).toBeGreaterThan(note);
    expect(humanStatus(fleet([row('a.test', named)]))).not.toContain('not listed');
  });
});
