import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { allowedHostName, hostGuard, hostHeaderName } from './allowed-hosts';

// The Host check against DNS rebinding, one rule at a time: what --allowed-host accepts as a name, how a Host
// header is read, and which requests the guard lets through. (server.test.ts checks it on the HTTP layer.)

/** The two parts of a Fastify request the guard reads. */
const request = (host: string | undefined, localAddress: string | undefined) =>
  ({ headers: host === undefined ? {} : { host }, socket: { localAddress } }) as unknown as FastifyRequest;

describe('allowedHostName', () => {
  it.each([
    ['agent.contoso.com', 'agent.contoso.com'],
    ['  Agent.Contoso.COM.  ', 'agent.contoso.com'],
    ['a', 'a'],
    ['a-b.c_d.e', 'a-b.c_d.e'],
    ['x1.y2', 'x1.y2'],
    ['10.0.0.5', '10.0.0.5'],
    ['[::1]', '::1'],
    ['[FE80::1]', 'fe80::1'],
    ['::1', '::1'],
    ['[agent]', 'agent'],
  ])('takes %j as %j', (value, name) => {
    expect(allowedHostName(value)).toBe(name);
  });

  it.each([
    ['a port', 'agent.contoso.com:40443'],
    ['a scheme', 'https://agent.contoso.com'],
    ['a path', 'agent.contoso.com/api'],
    ['a leading hyphen', '-agent.contoso.com'],
    ['a trailing hyphen', 'agent-.contoso.com'],
    ['a label starting with a hyphen', 'agent.-contoso.com'],
    ['a label ending with a hyphen', 'agent.contoso-.com'],
    ['an empty label', 'agent..com'],
    ['brackets inside a name', 'a[gent]'],
    ['text after the brackets', '[agent]x'],
    ['nothing', ''],
    ['spaces inside', 'agent contoso'],
  ])('refuses a value with %s', (_what, value) => {
    expect(allowedHostName(value)).toBeNull();
  });
});

describe('hostHeaderName', () => {
  it.each([
    ['agent.contoso.com', 'agent.contoso.com'],
    ['Agent.Contoso.com:40443', 'agent.contoso.com'],
    ['agent.contoso.com.:40443', 'agent.contoso.com'],
    ['agent:', 'agent'],
    ['[::1]:40443', '::1'],
    ['[::1]', '::1'],
    ['[FE80::1]:1', 'fe80::1'],
    ['127.0.0.1:40443', '127.0.0.1'],
  ])('reads %j as %j', (host, name) => {
    expect(hostHeaderName(host)).toBe(name);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a bare IPv6 address', '::1'],
    ['a port that is not a number', 'agent:abc'],
    ['two ports', 'agent:1:2'],
    ['text before the brackets', 'x[::1]:1'],
    ['text after the port', '[::1]:1x'],
    ['brackets inside a name', 'ag[en]t'],
    ['an unclosed bracket', '[::1:40443'],
    ['a port without its name', ':40443'],
  ])('finds no name in %s', (_what, host) => {
    expect(hostHeaderName(host)).toBeNull();
  });
});

describe('hostGuard', () => {
  const guard = hostGuard(['Agent.Contoso.com']);
  const refused = {
    appError: { code: 'agent.hostNotAllowed', hint: expect.stringContaining('--allowed-host') },
  };

  it('lets a listed name through, in any case and with any port, from anywhere', async () => {
    await expect(guard(request('agent.contoso.com', '10.0.0.5'))).resolves.toBeUndefined();
    await expect(guard(request('AGENT.contoso.COM:40443', '10.0.0.5'))).resolves.toBeUndefined();
  });

  it('refuses a name that is not listed, even over loopback', async () => {
    await expect(guard(request('rebound.example', '10.0.0.5'))).rejects.toMatchObject(refused);
    await expect(guard(request('rebound.example', '127.0.0.1'))).rejects.toMatchObject(refused);
  });

  it('refuses a request without a Host it can read, even over loopback', async () => {
    await expect(guard(request(undefined, '127.0.0.1'))).rejects.toMatchObject(refused);
    await expect(guard(request('a:b:c', '127.0.0.1'))).rejects.toMatchObject(refused);
  });

  it.each([
    ['localhost', '127.0.0.1'],
    ['localhost:40443', '127.0.0.1'],
    ['127.0.0.1:40443', '127.0.0.1'],
    ['[::1]:40443', '::1'],
    ['localhost', '127.9.8.7'],
    ['localhost', '::ffff:127.0.0.1'],
  ])('lets the loopback name %s through when the request came over loopback (%s)', async (host, address) => {
    await expect(guard(request(host, address))).resolves.toBeUndefined();
  });

  it.each([
    ['localhost', '10.0.0.5'],
    ['127.0.0.1', '::ffff:10.0.0.5'],
    ['[::1]', '10.127.0.1'],
    ['localhost', '::2'],
    ['localhost', undefined],
  ])('refuses the loopback name %s when the request came from %s', async (host, address) => {
    await expect(guard(request(host, address))).rejects.toMatchObject(refused);
  });
});
