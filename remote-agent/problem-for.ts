import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type AppError, AppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import type { Problem } from './problem';

/** The parts of a request a schema checks (Fastify's names). */
export type RequestPart = NonNullable<FastifyError['validationContext']>;

export interface ProblemContext {
  bodyLimit: number;
  /** What a 400 says when `part` fails its schema; zod's issues go in its detail. */
  invalid?: Partial<Record<RequestPart, string>>;
}

const statusByCode: Readonly<Record<string, number>> = {
  [AppErrorCode.inputInvalid]: 400,
  [AppErrorCode.agentUnauthorized]: 401,
  [AppErrorCode.agentUnknownDomain]: 404,
  [AppErrorCode.agentNotFound]: 404,
  [AppErrorCode.agentHostNotAllowed]: 421,
  [AppErrorCode.agentTooManyFailures]: 429,
  [AppErrorCode.agentShuttingDown]: 503,
};

/** A sign-in Microsoft (or the network to it) refused is a bad gateway; anything else unnamed is ours. */
const statusOf = (code: string) => statusByCode[code] ?? (code.startsWith('entra.') ? 502 : 500);

const internal: Problem = {
  status: 500,
  error: { code: AppErrorCode.internal, message: 'The agent hit an unexpected error.' },
};

/**
 * Whatever a route, a hook, the schemas or Fastify itself threw, as the one answer the agent gives: an AppFailure
 * as it is; a request that fails its schema, cannot be read, or is too large, as input.invalid with Fastify's
 * status; anything else as a bare 500 (its message may hold anything, so it is never sent).
 */
export function problemFor(error: unknown, context: ProblemContext): Problem {
  if (error instanceof AppFailure) return { status: statusOf(error.appError.code), error: error.appError };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = error.validationContext ?? 'body';
    return {
      status: 400,
      error: {
        code: AppErrorCode.inputInvalid,
        message: context.invalid?.[part] ?? `The request's ${part} is not what this route takes.`,
        // As describeIssues writes them: the path and zod's message, never the value.
        detail: {
          issues: error.validation
            .slice(0, 20)
            .map(
              ({ instancePath, message }) =>
                `${instancePath.split('/').slice(1).join('.') || '(request)'}: ${message ?? 'invalid'}`,
            ),
        },
      },
    };
  }
  const refused = clientError(error);
  if (!refused) return internal;
  return {
    status: refused.status,
    error: { code: AppErrorCode.inputInvalid, ...unreadable(refused, context) },
  };
}

/**
 * Fastify's own 4xx, by their FST_ code: the content-type parser's (FST_ERR_CTP_*: unreadable or empty JSON, a
 * media type it does not parse, a body too large or of another length than announced) and the router's
 * (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH). A status on any other error proves nothing: a store or library
 * error carrying `statusCode: 403` is ours to fix, a 500, not a request that "could not be read".
 */
function clientError(error: unknown): { status: number; code: string } | null {
  if (!(error instanceof Error) || !('code' in error) || !('statusCode' in error)) return null;
  const { code, statusCode } = error;
  if (typeof code !== 'string' || !code.startsWith('FST_')) return null;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return null;
  return { status: statusCode, code };
}

function unreadable(
  { status, code }: { status: number; code: string },
  { bodyLimit }: ProblemContext,
): Omit<AppError, 'code'> {
  if (status === 413) return { message: `The body is larger than ${bodyLimit / 1024} KiB.` };
  if (status === 414) return { message: 'The URL is too long.', hint: 'A domain is at most 253 characters.' };
  return {
    message: 'The request could not be read.',
    // FST_ERR_CTP_*: what the content-type parser refused (bad JSON, another media type, an empty body).
    ...(code.startsWith('FST_ERR_CTP_')
      ? { hint: 'Send a JSON body with Content-Type: application/json.' }
      : {}),
  };
}

const badHttp: Readonly<Record<string, Problem>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    error: { code: AppErrorCode.inputInvalid, message: 'The request headers are too large.' },
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    error: { code: AppErrorCode.inputInvalid, message: 'The request did not arrive in time.' },
  },
};

/** A request Node could not read as HTTP (Fastify's clientErrorHandler), by the parser's error code. */
export function badHttpProblem(code: string): Problem {
  return (
    badHttp[code] ?? {
      status: 400,
      error: { code: AppErrorCode.inputInvalid, message: 'The request is not valid HTTP.' },
    }
  );
}
