import { describe, expect, it } from 'vitest';
import { SettingsSchema } from '../shared/common/settings';
import { agentEndpoint, entraEndpoints } from './settings-defaults';

const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const emulator = SettingsSchema.parse({
  remoteAgent: { host: 'agent.contoso.test', port: 40443, useTls: true },
  microsoftOnline: {
    cloud: 'usgov',
    authorityHost: 'https://login.emulator.test',
    graphHost: 'https://graph.emulator.test',
    caPem,
  },
});

describe('Settings as the CLI’s defaults', () => {
  it('entra test takes cloud, hosts and CA from Settings when no option names them', () => {
    expect(entraEndpoints({}, emulator.microsoftOnline)).toEqual({
      cloud: 'usgov',
      authorityHost: 'https://login.emulator.test',
      graphHost: 'https://graph.emulator.test',
      caPem,
    });
    expect(entraEndpoints({}, SettingsSchema.parse({}).microsoftOnline)).toEqual({ cloud: 'global' });
  });

  it('each option wins over its setting', () => {
    expect(
      entraEndpoints({ authorityHost: 'https://login.other.test', caPem: 'other' }, emulator.microsoftOnline),
    ).toEqual({
      cloud: 'usgov',
      authorityHost: 'https://login.other.test',
      graphHost: 'https://graph.emulator.test',
      caPem: 'other',
    });
  });

  it('hosts in Settings belong to their cloud: --cloud naming another one leaves them out', () => {
    expect(entraEndpoints({ cloud: 'china' }, emulator.microsoftOnline)).toEqual({ cloud: 'china', caPem });
    expect(entraEndpoints({ cloud: 'usgov' }, emulator.microsoftOnline)).toMatchObject({
      authorityHost: 'https://login.emulator.test',
    });
  });

  it('the Remote Agent is Settings’ default agent, with --host and --port winning', () => {
    expect(agentEndpoint({}, emulator.remoteAgent)).toEqual({
      host: 'agent.contoso.test',
      port: 40443,
      useTls: true,
      allowInsecure: false,
    });
    expect(agentEndpoint({ host: 'idm-2' }, emulator.remoteAgent)).toEqual({
      host: 'idm-2',
      port: 40443,
      useTls: true,
      allowInsecure: false,
    });
    expect(agentEndpoint({ port: 1234 }, SettingsSchema.parse({}).remoteAgent)).toEqual({
      host: 'localhost',
      port: 1234,
      useTls: false,
      allowInsecure: false,
    });
  });

  it('a --host beyond this computer means https, unless --insecure-http; --tls and --ca are kept', () => {
    const local = SettingsSchema.parse({}).remoteAgent;
    expect(agentEndpoint({ host: 'idm-2' }, local)).toMatchObject({ useTls: true, allowInsecure: false });
    expect(agentEndpoint({ host: '127.0.0.2' }, local)).toMatchObject({ useTls: false });
    expect(agentEndpoint({ host: 'idm-2', insecureHttp: true }, local)).toMatchObject({
      useTls: false,
      allowInsecure: true,
    });
    expect(agentEndpoint({ tls: true, caPem: 'PEM' }, local)).toMatchObject({
      host: 'localhost',
      useTls: true,
      caPem: 'PEM',
    });
  });
});
