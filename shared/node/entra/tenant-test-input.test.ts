import { describe, expect, it } from 'vitest';
import { AgentConnectionPutSchema } from '../../common/agent/agent-api';
import { MicrosoftOnlineConnectionSchema } from '../../common/connections/connection';
import { entraDestinationOf } from '../connections/secret-binding';
import { entraSignInFields, tenantTestInput } from './tenant-test-input';

const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

const connection = (fields: Record<string, unknown>) =>
  MicrosoftOnlineConnectionSchema.parse({
    id: '0b5a3f9e-5d1c-4f5e-9a51-0c5b0d0f3e11',
    name: 'Contoso',
    kind: 'microsoftOnline',
    tenantDomain: 'contoso.com',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  });

describe('tenantTestInput', () => {
  it('carries every sign-in setting of a saved connection, the secret and the run options', () => {
    const saved = connection({
      authMode: 'clientSecret',
      clientId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
      cloud: 'usgov',
      authorityHost: 'https://login.example.test',
      graphHost: 'https://graph.example.test',
      caPem: ca,
    });
    const onStep = () => {};
    expect(
      tenantTestInput(entraDestinationOf(saved), 'app-secret', {
        timeoutMs: 1234,
        trustSystemStore: false,
        onStep,
      }),
    ).toStrictEqual({
      mode: 'clientSecret',
      domain: 'contoso.com',
      clientId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
      secret: 'app-secret',
      cloud: 'usgov',
      authorityHost: 'https://login.example.test',
      graphHost: 'https://graph.example.test',
      caPem: ca,
      timeoutMs: 1234,
      trustSystemStore: false,
      onStep,
    });
  });

  it('leaves out what the connection does not set, and the secret when there is none (device code)', () => {
    const saved = connection({ authMode: 'deviceCode', userPrincipalName: 'admin@contoso.com' });
    const input = tenantTestInput(entraDestinationOf(saved), undefined, { timeoutMs: 5 });
    expect(input).toStrictEqual({
      mode: 'deviceCode',
      domain: 'contoso.com',
      userPrincipalName: 'admin@contoso.com',
      cloud: 'global',
      timeoutMs: 5,
    });
    expect(tenantTestInput(entraDestinationOf(saved), '', { timeoutMs: 5 })).not.toHaveProperty('secret');
  });

  it('reads the Remote Agent’s stored connection (domain, not tenantDomain) the same way', () => {
    const stored = {
      ...AgentConnectionPutSchema.omit({ secret: true }).parse({
        authMode: 'certificate',
        clientId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
        certificatePem: ca,
      }),
      id: '0b5a3f9e-5d1c-4f5e-9a51-0c5b0d0f3e11',
      domain: 'fabrikam.com',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(tenantTestInput(stored, 'PRIVATE KEY', { timeoutMs: 30_000 })).toStrictEqual({
      mode: 'certificate',
      domain: 'fabrikam.com',
      clientId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
      certificatePem: ca,
      secret: 'PRIVATE KEY',
      cloud: 'global',
      timeoutMs: 30_000,
    });
  });
});

describe('entraSignInFields', () => {
  it('is what Update Remote Agent sends besides the auth mode and secret, and the agent accepts it', () => {
    const saved = connection({
      authMode: 'password',
      userPrincipalName: 'admin@contoso.com',
      graphHost: 'https://graph.example.test',
    });
    const fields = entraSignInFields(entraDestinationOf(saved));
    expect(fields).toStrictEqual({
      userPrincipalName: 'admin@contoso.com',
      cloud: 'global',
      graphHost: 'https://graph.example.test',
    });
    expect(
      AgentConnectionPutSchema.safeParse({ ...fields, authMode: 'password', secret: 'pw' }).success,
    ).toBe(true);
  });
});
