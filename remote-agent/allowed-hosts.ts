import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { AppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';

const loopbackNames = new Set(['localhost', '127.0.0.1', '::1']);

const isLoopbackAddress = (address: string | undefined) =>
  address !== undefined && (/^(::ffff:)?127\./.test(address) || address === '::1');

/** A name as the Host check compares it: lower case, no brackets around an IPv6 address, no final dot. */
const canonical = (name: string) =>
  name
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');

/**
 * A value of --allowed-host as the check compares it, or null when it is not a bare host name or address
 * (a port, a scheme or a path would never match a Host header's name).
 */
export function allowedHostName(value: string): string | null {
  const name = canonical(value.trim());
  if (isIP(name)) return name;
  return /^[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*$/.test(name) ? name : null;
}

/** The name of a Host header without its port; null when there is none or it cannot be read. */
export function hostHeaderName(host: string | undefined): string | null {
  const match = /^(\[[^\]]*\]|[^:[\]]*)(:\d*)?$/.exec(host ?? '');
  return match?.[1] ? canonical(match[1]) : null;
}

/**
 * Refuses a request whose Host header names none of the allowed names (DNS rebinding: a web page whose name
 * now resolves to this host must not reach the agent). Loopback names are allowed too when the request came
 * over loopback, where no other machine can send them. Runs on every route, health and Swagger included.
 */
export function hostGuard(allowed: readonly string[]): (request: FastifyRequest) => Promise<void> {
  const names = new Set(allowed.map(canonical));
  return async (request) => {
    const name = hostHeaderName(request.headers.host);
    if (name !== null && names.has(name)) return;
    if (name !== null && loopbackNames.has(name) && isLoopbackAddress(request.socket.localAddress)) return;
    throw new AppFailure({
      code: AppErrorCode.agentHostNotAllowed,
      message: 'The agent does not answer requests for this host name.',
      hint: 'Use a name the agent was started with (--allowed-host), or add this one there.',
    });
  };
}
