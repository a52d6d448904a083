import type { ZodType } from 'zod';
import { ProblemSchema } from '../shared/common/agent/agent-problem';

// What a route tells the OpenAPI document besides its zod schemas: who it is (operationId, summary, tag), whether
// it needs the API key, and every answer it can give. A new route declares it in one call, e.g.
//   schema: { ...guardedOperation(docs, { 200: json('The result.', ResultSchema) }, [400, 404]), body: BodySchema }

/** The document's tags, each with the description Swagger shows beside it. */
export const agentTags = {
  Health: 'Whether the agent runs; no API key needed.',
  Connections: 'The Microsoft Online connections the agent keeps, and their test.',
  Diagnostics: 'Staged probes run from the agent host, to compare with the same stages run elsewhere.',
} as const;

export type AgentTag = keyof typeof agentTags;

/** The security scheme of the API key (Authorization: Bearer <key>), as Swagger's Authorize button shows it. */
export const apiKeyScheme = 'apiKey';

const problemDescriptions = {
  400: 'The request is not what the route takes (code input.invalid); detail.issues names the fields.',
  401: 'The API key is missing or wrong (agent.unauthorized).',
  404: 'The agent has no connection for this domain (agent.unknownDomain).',
  413: 'The body is larger than 64 KiB (input.invalid).',
  414: 'The URL is too long: a domain is at most 253 characters (input.invalid).',
  415: 'The body is not application/json (input.invalid).',
  421: 'The Host header names none of the names the agent was started with, --allowed-host (agent.hostNotAllowed).',
  429:
    'Too many requests with a missing or wrong API key came from this address (agent.tooManyFailures); ' +
    'every guarded route refuses it, right key included, until Retry-After has passed.',
  500: 'The agent hit an unexpected error (internal); the log has what happened.',
  502: 'Microsoft Entra ID or Microsoft Graph refused the sign-in or could not be reached (entra.*).',
  503: 'The agent is shutting down (agent.shuttingDown); retry in a moment.',
} as const;

export type ProblemStatus = keyof typeof problemDescriptions;

/** Response headers worth a client's attention, by status: JSON schemas as Fastify's swagger plugin reads them. */
const problemHeaders: Partial<Record<ProblemStatus, Record<string, object>>> = {
  429: {
    'Retry-After': {
      type: 'integer',
      minimum: 1,
      description: 'Seconds until this address may send a key again.',
    },
  },
};

/** Any route, guarded or not: a Host the agent does not answer for, and an error of the agent's own. */
const everyRoute = [421, 500] as const satisfies readonly ProblemStatus[];
/** What the API-key guard answers before a guarded route runs. */
const guard = [401, 429, 503] as const satisfies readonly ProblemStatus[];

const problemResponse = (status: ProblemStatus) => ({
  description: problemDescriptions[status],
  ...(problemHeaders[status] ? { headers: problemHeaders[status] } : {}),
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

type ProblemResponses = Partial<Record<ProblemStatus, ReturnType<typeof problemResponse>>>;

/** Each status as an application/problem+json response of the one Problem schema, in status order. */
export function problemResponses(statuses: readonly ProblemStatus[]): ProblemResponses {
  const sorted = [...new Set(statuses)].sort((a, b) => a - b);
  return Object.fromEntries(sorted.map((status) => [status, problemResponse(status)]));
}

/** A JSON success response with its description (the document's words for what the body is). */
export function json<Schema extends ZodType>(description: string, schema: Schema) {
  return { description, content: { 'application/json': { schema } } };
}

export interface OperationDocs {
  /** A method name for generated clients, e.g. getConnection. */
  operationId: string;
  summary: string;
  /** Only where behaviour is not obvious from the summary and the schemas. */
  description?: string;
  tag: AgentTag;
}

const operationFields = ({ operationId, summary, description, tag }: OperationDocs) => ({
  operationId,
  summary,
  ...(description ? { description } : {}),
  tags: [tag],
});

/**
 * A route behind the API key: its docs, the security requirement, its success responses and the problems it
 * answers itself (`problems`); those of the guard (401, 429, 503) and of every route (421, 500) are added.
 */
export function guardedOperation<const Success extends object>(
  docs: OperationDocs,
  success: Success,
  problems: readonly ProblemStatus[],
) {
  return {
    ...operationFields(docs),
    security: [{ [apiKeyScheme]: [] }],
    response: { ...success, ...problemResponses([...problems, ...guard, ...everyRoute]) },
  };
}

/** A route anyone may call: explicitly no security requirement, and the problems of every route (421, 500). */
export function openOperation<const Success extends object>(
  docs: OperationDocs,
  success: Success,
  problems: readonly ProblemStatus[] = [],
) {
  return {
    ...operationFields(docs),
    security: [],
    response: { ...success, ...problemResponses([...problems, ...everyRoute]) },
  };
}
