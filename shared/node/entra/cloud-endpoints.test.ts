import { describe, expect, it } from 'vitest';
import { endpointsFor } from './cloud-endpoints';

describe('endpointsFor', () => {
  it('gives each cloud its own hosts, with the token always for that cloud’s Graph', () => {
    expect(endpointsFor('usgov')).toEqual({
      authorityHost: 'https://login.microsoftonline.us',
      graphHost: 'https://graph.microsoft.us',
      graphScope: 'https://graph.microsoft.us/.default',
    });
    expect(
      endpointsFor('global', {
        authorityHost: 'https://127.0.0.1:9443/',
        graphHost: 'https://127.0.0.1:9443',
      }),
    ).toEqual({
      authorityHost: 'https://127.0.0.1:9443',
      graphHost: 'https://127.0.0.1:9443',
      graphScope: 'https://graph.microsoft.com/.default',
    });
  });

  it('never sends a token signed in at Microsoft to another Graph host', () => {
    for (const overrides of [
      { graphHost: 'https://graph.rogue.example' },
      { authorityHost: 'https://login.microsoftonline.com', graphHost: 'https://graph.rogue.example' },
      {
        authorityHost: 'https://login.microsoftonline.us',
        graphHost: 'https://graph.microsoft.com.rogue.example',
      },
      { graphHost: 'https://graph.microsoft.us' },
    ])
      expect(() => endpointsFor('global', overrides), JSON.stringify(overrides)).toThrow(
        /a Microsoft token is never sent to another host/,
      );
    expect(endpointsFor('global', { graphHost: 'https://graph.microsoft.com/' }).graphHost).toBe(
      'https://graph.microsoft.com',
    );
  });
});
