import { describe, expect, it } from 'vitest';
import { transportFor } from './agent-transport';

// Decided without binding anything: the tests never listen beyond loopback.
const none = { tls: false, ownCertificate: false, insecureHttp: false };

describe('transportFor', () => {
  it('keeps plain HTTP on loopback by default', () => {
    for (const host of [
      '127.0.0.1',
      '127.8.0.1',
      '::1',
      '[::1]',
      'localhost',
      'LOCALHOST',
      '::ffff:127.0.0.1',
    ])
      expect(transportFor(host, none), host).toEqual({ scheme: 'http' });
  });

  it('serves HTTPS with its own certificate on any other address, wildcards and names included', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '10.1.2.3',
      '192.168.0.5',
      'fe80::1',
      'agent.corp.example',
      '128.0.0.1',
    ])
      expect(transportFor(host, none), host).toEqual({ scheme: 'https', certificate: 'generated' });
  });

  it('serves plain HTTP beyond loopback only with --insecure-http, and then with a warning', () => {
    const transport = transportFor('0.0.0.0', { ...none, insecureHttp: true });
    expect(transport.scheme).toBe('http');
    expect(transport.scheme === 'http' && transport.warning).toMatch(/WARNING.*--insecure-http/);
    expect(transportFor('127.0.0.1', { ...none, insecureHttp: true })).toEqual({ scheme: 'http' });
  });

  it('uses the admin certificate when given, and its own with --tls on loopback', () => {
    expect(transportFor('0.0.0.0', { ...none, ownCertificate: true })).toEqual({
      scheme: 'https',
      certificate: 'admin',
    });
    expect(transportFor('127.0.0.1', { ...none, tls: true })).toEqual({
      scheme: 'https',
      certificate: 'generated',
    });
  });

  it('refuses --insecure-http together with a certificate', () => {
    expect(transportFor('0.0.0.0', { ...none, tls: true, insecureHttp: true }).scheme).toBe('refused');
    expect(transportFor('0.0.0.0', { ...none, ownCertificate: true, insecureHttp: true }).scheme).toBe(
      'refused',
    );
  });
});
