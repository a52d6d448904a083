import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { httpsRequest } from './https-client';

export interface WireProblem {
  /** A transport failure (TLS, refused, timeout)… */
  error?: unknown;
  /** …or an error answer from the server. */
  body?: unknown;
}

export interface MsalNetworkOptions {
  caPem?: string;
  /** False: the operating system's certificate store does not count (Settings). */
  trustSystemStore?: boolean;
  timeoutMs: number;
  onCall?: (url: string) => void;
  /** MSAL reports a failed metadata fetch only as endpoints_resolution_error; this keeps the real reason. */
  onProblem?: (problem: WireProblem) => void;
}

/**
 * MSAL's HTTP through our client, so that the connection's CA and the system-store setting apply (msal-node 5+
 * uses global fetch and has no per-client trust). Counts the calls, for the cold/warm benchmark.
 */
export function msalNetwork(options: MsalNetworkOptions): INetworkModule {
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    request?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    options.onCall?.(url);
    let response: Awaited<ReturnType<typeof httpsRequest>>;
    try {
      response = await httpsRequest(url, {
        method,
        ...(request?.headers ? { headers: request.headers } : {}),
        ...(request?.body ? { body: request.body } : {}),
        ...(options.caPem ? { caPem: options.caPem } : {}),
        ...(options.trustSystemStore === false ? { trustSystemStore: false } : {}),
        timeoutMs: options.timeoutMs,
      });
    } catch (error) {
      options.onProblem?.({ error });
      throw error;
    }
    let body: unknown = {};
    try {
      body = response.text ? JSON.parse(response.text) : {};
    } catch {
      body = { error: 'invalid_response', error_description: response.text.slice(0, 200) };
    }
    if (response.status >= 400) options.onProblem?.({ body });
    return { status: response.status, headers: response.headers, body: body as T };
  };
  return {
    sendGetRequestAsync: (url, request) => send('GET', url, request),
    sendPostRequestAsync: (url, request) => send('POST', url, request),
  };
}
