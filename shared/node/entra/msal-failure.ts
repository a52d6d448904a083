import { AppFailure } from '../../common/errors/app-error';
import type { Endpoints } from './cloud-endpoints';
import { signInError, transportError } from './entra-errors';
import type { WireProblem } from './msal-network';

/** An error answer of the token service as signInError reads MSAL's errors: its AADSTS number and error code. */
export function wireBodyAsError(body: unknown): { errorNo?: number; errorCode?: string } {
  const { error_codes: codes, error } = (body ?? {}) as { error_codes?: unknown; error?: unknown };
  return {
    ...(Array.isArray(codes) && typeof codes[0] === 'number' ? { errorNo: codes[0] } : {}),
    ...(typeof error === 'string' ? { errorCode: error } : {}),
  };
}

/**
 * The AppFailure for an error MSAL threw during a sign-in; `seen` is the last failure the network client saw for
 * that client, which says why where MSAL only says that a request failed.
 */
export function msalFailure(
  error: unknown,
  input: { endpoints: Endpoints; domain: string; mode: string },
  seen: WireProblem | null,
): AppFailure {
  const facts = { host: new URL(input.endpoints.authorityHost).host, domain: input.domain, mode: input.mode };
  // MSAL hides why metadata could not be fetched; the wire record knows (a TLS error, AADSTS90002…)…
  // …and reports a failed device-code poll only as post_request_failed: the server's own answer says why.
  const vague = ['endpoints_resolution_error', 'post_request_failed'];
  if (seen && vague.includes(String((error as { errorCode?: unknown }).errorCode))) {
    const fromWire = seen.error
      ? transportError(seen.error, facts)
      : signInError(wireBodyAsError(seen.body), facts);
    if (fromWire) return new AppFailure(fromWire);
  }
  return new AppFailure(signInError(error, facts));
}
