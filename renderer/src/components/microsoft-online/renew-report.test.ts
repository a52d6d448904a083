import { describe, expect, it } from 'vitest';
import type { RenewCertificateReport } from '../../../../shared/common/connections/expiry-renewal';
import { agentLines, noAgentNote, oldCertificateLine, renewedFacts } from './renew-report';

const report = (patch: Partial<RenewCertificateReport> = {}): RenewCertificateReport => ({
  connectionId: '00000000-0000-4000-8000-000000000001',
  appId: '11111111-2222-3333-4444-555555555555',
  objectId: '66666666-7777-8888-9999-000000000000',
  oldThumbprint: 'OLD0',
  newThumbprint: 'NEW1',
  notAfter: '2027-03-01T00:00:00.000Z',
  agentsUpdated: [],
  agentsNotUpdated: [],
  removedOld: true,
  steps: [
    {
      step: 'Updating the Remote Agent',
      ok: true,
      ms: 3,
      detail:
        'No Remote Agent to update: this computer has no API key for http://localhost:40002, so it never gave it the connection.',
    },
  ],
  ...patch,
});

describe('the Renew certificate report', () => {
  it('names the new certificate, its end and the one it replaced', () => {
    expect(renewedFacts(report())).toEqual([
      ['New certificate thumbprint', 'NEW1'],
      ['Valid until', new Date('2027-03-01T00:00:00.000Z').toLocaleDateString()],
      ['Previous thumbprint', 'OLD0'],
      ['Application (client) id', '11111111-2222-3333-4444-555555555555'],
    ]);
  });

  it('says which agents have the new certificate, and for the others why not and what to do', () => {
    const lines = agentLines(
      report({
        agentsUpdated: ['https://idm1:40002'],
        agentsNotUpdated: [{ url: 'https://idm2:40002', reason: 'The Remote Agent did not answer.' }],
        removedOld: false,
        oldKeyNote:
          'The old certificate (thumbprint OLD0) stays registered: https://idm2:40002 still uses it.',
      }),
    );
    expect(lines[0]).toEqual({
      url: 'https://idm1:40002',
      updated: true,
      text: 'https://idm1:40002 has the new certificate.',
    });
    expect(lines[1]?.updated).toBe(false);
    expect(lines[1]?.text).toMatch(/did not answer\. .*1\. Update Remote Agent.*remove the old certificate/);
  });

  it('says what the agent step found when there was no agent to update', () => {
    expect(noAgentNote(report())).toMatch(/^No Remote Agent to update: this computer has no API key/);
    expect(noAgentNote(report({ agentsUpdated: ['https://idm1:40002'] }))).toBeNull();
  });

  it('says whether the old certificate was removed, or why it stays', () => {
    expect(oldCertificateLine(report())).toEqual({
      removed: true,
      text: 'The old certificate (OLD0) was removed from the application.',
    });
    expect(oldCertificateLine(report({ removedOld: false, oldKeyNote: 'Kept: the agent is down.' }))).toEqual(
      {
        removed: false,
        text: 'Kept: the agent is down.',
      },
    );
  });
});
