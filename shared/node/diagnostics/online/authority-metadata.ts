import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { signInError, transportError } from '../../entra/entra-errors';
import { type HttpsResponse, httpsRequest } from '../../entra/https-client';
import { wireBodyAsError } from '../../entra/msal-failure';
import type { TrustSources } from '../../tls/trust-anchors';
import type { DatedAnswer } from './clock-skew';

export interface MetadataRequest extends TrustSources {
  authorityHost: string;
  tenantDomain: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TenantMetadata {
  tenantId: string | null;
  tokenEndpoint: string;
}

/** The answer, kept apart from its verdict: the clock stage reads its `Date` even when the tenant is unknown. */
export interface MetadataAnswer extends DatedAnswer {
  response: HttpsResponse;
}

/** GET the tenant's OpenID configuration from the authority; a transport failure is typed as the others are. */
export async function fetchTenantMetadata(request: MetadataRequest): Promise<MetadataAnswer> {
  const url = `${request.authorityHost}/${encodeURIComponent(request.tenantDomain)}/v2.0/.well-known/openid-configuration`;
  const sentAt = Date.now();
  try {
    const response = await httpsRequest(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      ...(request.caPem ? { caPem: request.caPem } : {}),
      ...(request.trustSystemStore === false ? { trustSystemStore: false } : {}),
      timeoutMs: request.timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return { response, date: response.headers.date, sentAt, receivedAt: Date.now() };
  } catch (error) {
    const facts = { host: new URL(url).host, step: 'reading the tenant’s OpenID metadata' };
    throw new AppFailure(
      transportError(error, facts) ?? {
        code: AppErrorCode.entraUnreachable,
        message: `${facts.host} could not be reached for the tenant’s OpenID metadata.`,
        hint: 'Check the network, the firewall rules for the Microsoft 365 endpoints and HTTPS_PROXY.',
        detail: facts,
      },
    );
  }
}

function parsed(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The tenant's id and token endpoint, or the typed failure: an unknown tenant says so (AADSTS90002). */
export function tenantMetadataOf(answer: MetadataAnswer, request: MetadataRequest): TenantMetadata {
  const { response } = answer;
  const host = new URL(request.authorityHost).host;
  const body = parsed(response.text);
  const facts = { host, domain: request.tenantDomain, status: response.status };
  if (response.status === 200 && typeof body.token_endpoint === 'string') {
    const issuer = typeof body.issuer === 'string' ? body.issuer : '';
    return {
      tenantId: /\/([0-9a-f-]{36})\//i.exec(issuer)?.[1] ?? null,
      tokenEndpoint: body.token_endpoint,
    };
  }
  if (response.status >= 400 && response.status < 500) {
    const wire = wireBodyAsError(body);
    if (wire.errorNo !== undefined) throw new AppFailure(signInError(wire, facts));
  }
  throw new AppFailure({
    code: AppErrorCode.entraSignInFailed,
    message: `${host} answered ${response.status} instead of the OpenID metadata of ${request.tenantDomain}.`,
    hint:
      response.status >= 500
        ? 'The sign-in service has a problem: check the Microsoft 365 service health, then run the diagnosis again.'
        : 'Check the tenant domain, the cloud and the sign-in host; a proxy answering in Microsoft’s place looks like this too.',
    detail: facts,
  });
}
