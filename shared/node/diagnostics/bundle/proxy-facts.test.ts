import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../../common/connections/connection';
import { proxyFacts, proxyVariables, proxyWithoutCredentials } from './proxy-facts';

// Each test starts from none of the variables proxyFacts reads, and leaves them as the run had them.
const names = proxyVariables;
const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of names) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const online = (overrides: Partial<ConnectionView> = {}) =>
  ({
    kind: 'microsoftOnline',
    id: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
    name: 'Fabrikam',
    tenantDomain: 'fabrikam.test',
    authMode: 'password',
    userPrincipalName: 'admin@fabrikam.test',
    cloud: 'global',
    remoteAgent: { host: 'localhost', port: 40002, useTls: false, allowInsecure: false },
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    hasSecret: true,
    ...overrides,
  }) as ConnectionView;

describe('proxyWithoutCredentials', () => {
  it.each([
    ['http://svc:Pa55@proxy.corp:3128', 'http://proxy.corp:3128'],
    ['http://svc@proxy.corp:3128/', 'http://proxy.corp:3128'],
    ['https://proxy.corp/path?token=abc', 'https://proxy.corp'],
    ['proxy.corp:8080', 'http://proxy.corp:8080'],
    ['http://[::1', '[not a URL: not shown]'],
  ])('%s → %s', (value, expected) => {
    expect(proxyWithoutCredentials(value)).toBe(expected);
  });
});

describe('proxyFacts', () => {
  it('lists the variables without credentials, and where each connection’s requests go', () => {
    for (const name of names) delete process.env[name];
    process.env.HTTPS_PROXY = 'http://svc:Zq9-proxy-pass@proxy.corp:3128';
    process.env.NO_PROXY = 'graph.microsoft.com,.corp';
    const facts = proxyFacts([
      online(),
      online({ id: '7f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10', kind: 'activeDirectory' } as never),
    ]);
    expect(JSON.stringify(facts)).not.toContain('Zq9-proxy-pass');
    expect(JSON.stringify(facts)).not.toContain('svc');
    expect(facts).toEqual({
      variables: { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'graph.microsoft.com,.corp' },
      connections: [
        {
          connectionId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
          domain: 'fabrikam.test',
          signIn: { origin: 'https://login.microsoftonline.com', proxy: 'http://proxy.corp:3128' },
          graph: { origin: 'https://graph.microsoft.com', proxy: null },
        },
      ],
    });
  });
});
