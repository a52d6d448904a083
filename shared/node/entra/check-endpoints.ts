import { lookup } from 'node:dns/promises';
import type { z } from 'zod';
import type { EndpointCheckRequestSchema, EndpointCheckResult } from '../../common/entra/endpoint-check';
import { AppErrorCode } from '../../common/errors/error-codes';
import { endpointsFor } from './cloud-endpoints';
import { transportError } from './entra-errors';
import { httpsRequest } from './https-client';
import { proxyFor } from './proxy-for';

type Request = z.output<typeof EndpointCheckRequestSchema>;
type Endpoint = EndpointCheckResult['endpoints'][number];

/**
 * Can this computer reach the cloud's sign-in and Graph endpoints? Any HTTP answer proves DNS, the route (or the
 * proxy's tunnel) and a verified TLS handshake; the status itself does not matter before sign-in.
 */
export async function checkEndpoints(
  request: Request,
  signal?: AbortSignal,
  trust: { trustSystemStore?: boolean } = {},
): Promise<EndpointCheckResult> {
  const endpoints = endpointsFor(request.cloud, request);
  const probe = async (name: Endpoint['name'], url: string): Promise<Endpoint> => {
    const target = new URL(url);
    const viaProxy = proxyFor(target) !== null;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      // Through a proxy the proxy resolves the name; here it must resolve locally.
      if (!viaProxy) await lookup(target.hostname);
      await httpsRequest(`${url}/`, {
        method: 'GET',
        timeoutMs: request.timeoutMs,
        ...(request.caPem ? { caPem: request.caPem } : {}),
        ...(trust.trustSystemStore === false ? { trustSystemStore: false } : {}),
        ...(signal ? { signal } : {}),
      });
      return { name, url, ok: true, viaProxy, ms: elapsed() };
    } catch (error) {
      const facts = { host: target.host, ...(viaProxy ? { proxy: true } : {}) };
      return {
        name,
        url,
        ok: false,
        viaProxy,
        ms: elapsed(),
        error: transportError(error, facts) ?? {
          code: AppErrorCode.entraUnreachable,
          message: `${target.host} could not be reached.`,
          hint: 'Check the network, the firewall rules for the Microsoft 365 endpoints and HTTPS_PROXY.',
          detail: facts,
        },
      };
    }
  };
  return {
    endpoints: await Promise.all([
      probe('Entra sign-in', endpoints.authorityHost),
      probe('Microsoft Graph', endpoints.graphHost),
    ]),
  };
}
