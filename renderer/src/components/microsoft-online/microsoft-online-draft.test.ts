import { describe, expect, it } from 'vitest';
import type { MicrosoftOnlineConnection } from '../../../../shared/common/connections/connection';
import { draftOfConnection, saveRequest } from './microsoft-online-draft';

const certificatePem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const setUpConnection: MicrosoftOnlineConnection = {
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'microsoftOnline',
  name: 'contoso.test (Microsoft 365)',
  tenantDomain: 'contoso.test',
  authMode: 'certificate',
  userPrincipalName: 'admin@contoso.test',
  clientId: '11111111-2222-3333-4444-555555555555',
  certificatePem,
  cloud: 'global',
  remoteAgent: { host: 'localhost', port: 40002, useTls: false, allowInsecure: false },
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

describe('saving a Microsoft Online connection', () => {
  it('keeps the administrator a saved certificate connection names, so its stored key stays bound', () => {
    const draft = {
      ...draftOfConnection(setUpConnection),
      adConnectionId: 'ad-1',
      dcHost: 'dc1.contoso.test',
    };
    expect(saveRequest(draft, 'contoso.test', undefined, true)).toMatchObject({
      authMode: 'certificate',
      userPrincipalName: 'admin@contoso.test',
      clientId: setUpConnection.clientId,
      certificatePem,
      localDomainController: { adConnectionId: 'ad-1', host: 'dc1.contoso.test' },
      remoteAgent: setUpConnection.remoteAgent,
    });
    expect(saveRequest(draft, 'contoso.test', undefined, true)).not.toHaveProperty('secret');
  });

  it('gives a new app-only connection no e-mail the page did not show', () => {
    const draft = {
      ...draftOfConnection(setUpConnection),
      userPrincipalName: 'typed-in-browser-mode@contoso.test',
    };
    expect(saveRequest(draft, 'contoso.test', undefined)).not.toHaveProperty('userPrincipalName');
  });
});
