import { describe, expect, it } from 'vitest';
import {
  type AgentEndpointDraft,
  addressOfOrigin,
  normalized,
  plainBeyondLoopback,
  tlsChosenIn,
  withHost,
} from './agent-endpoint';

const local: AgentEndpointDraft = { host: 'localhost', port: '40002', useTls: false, allowInsecure: false };

describe('the Remote Agent tab’s Use TLS default', () => {
  it('turns TLS on for a host beyond this computer and off again for loopback, while the admin has not chosen', () => {
    const remote = withHost(local, 'agent.contoso.test', false);
    expect(remote.useTls).toBe(true);
    expect(withHost(remote, '127.0.0.1', false).useTls).toBe(false);
    expect(withHost(remote, '::1', false).useTls).toBe(false);
    expect(withHost(local, '0.0.0.0', false).useTls).toBe(true);
  });

  it('leaves TLS as the admin set it, whatever host follows', () => {
    expect(withHost(local, 'agent.contoso.test', true).useTls).toBe(false);
    const tlsOnLoopback = { ...local, useTls: true };
    expect(withHost(tlsOnLoopback, 'localhost', true).useTls).toBe(true);
  });

  it('changes nothing while the host field is empty, so clearing it to type another name keeps the setting', () => {
    const remote = withHost(local, 'agent.contoso.test', false);
    expect(withHost(remote, '', false).useTls).toBe(true);
    expect(withHost(remote, '  ', false).useTls).toBe(true);
  });

  it('counts a saved setting that differs from its host’s default as the admin’s choice', () => {
    expect(tlsChosenIn(local)).toBe(false);
    expect(tlsChosenIn({ ...local, useTls: true })).toBe(true);
    expect(tlsChosenIn({ ...local, host: 'agent.contoso.test', useTls: true })).toBe(false);
    expect(tlsChosenIn({ ...local, host: 'agent.contoso.test', allowInsecure: true })).toBe(true);
  });
});

describe('Allow insecure connection', () => {
  it('applies only to plain HTTP beyond this computer', () => {
    expect(plainBeyondLoopback({ ...local, host: 'agent.contoso.test' })).toBe(true);
    expect(plainBeyondLoopback({ ...local, host: 'agent.contoso.test', useTls: true })).toBe(false);
    expect(plainBeyondLoopback(local)).toBe(false);
    expect(plainBeyondLoopback({ ...local, host: '' })).toBe(false);
  });

  it('is dropped once TLS is on or the host is loopback, so a hidden switch is never saved on', () => {
    const allowed = { ...local, host: 'agent.contoso.test', allowInsecure: true };
    expect(normalized(allowed)).toBe(allowed);
    expect(normalized({ ...allowed, useTls: true }).allowInsecure).toBe(false);
    expect(withHost(allowed, 'localhost', true).allowInsecure).toBe(false);
    expect(withHost(allowed, 'agent2.contoso.test', true).allowInsecure).toBe(true);
  });
});

describe('the agent a certificate error names', () => {
  it('reads host and port from its https origin, IPv6 brackets off and 443 when implied', () => {
    expect(addressOfOrigin('https://127.0.0.1:40002')).toEqual({ host: '127.0.0.1', port: 40002 });
    expect(addressOfOrigin('https://[::1]:40002')).toEqual({ host: '::1', port: 40002 });
    expect(addressOfOrigin('https://agent.contoso.test')).toEqual({ host: 'agent.contoso.test', port: 443 });
    expect(addressOfOrigin('not a url')).toBeNull();
  });
});
