import type {
  FastifyDynamicSwaggerOptions,
  SwaggerTransform,
  SwaggerTransformObject,
} from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { OpenAPIV3 } from 'openapi-types';
import packageJson from '../package.json' with { type: 'json' };
import { agentTags, apiKeyScheme } from './route-docs';

// The frame of the agent's OpenAPI document; the operations come from the routes' schemas (route-docs.ts).

const componentRef = '#/components/schemas/';

/**
 * The provider's transform, keeping the response headers a route declares (e.g. 429's Retry-After): it copies
 * only the description and the content of a response given per media type.
 */
const transform: SwaggerTransform = (input) => {
  const output = jsonSchemaTransform(input);
  const declared = (input.schema as { response?: Record<string, { headers?: object }> }).response ?? {};
  const built = (output.schema as { response?: Record<string, object> }).response ?? {};
  for (const [status, { headers }] of Object.entries(declared))
    if (headers && built[status]) built[status] = { ...built[status], headers };
  return output;
};

/** Every `#/components/schemas/` name a part of the document refers to. */
function referencedNames(node: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) for (const item of node) referencedNames(item, found);
  else if (typeof node === 'object' && node !== null)
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(componentRef))
        found.add(value.slice(componentRef.length));
      else referencedNames(value, found);
    }
  return found;
}

/**
 * OpenAPI 3.0.3 lets `nullable` act only beside a `type`, but the provider writes a zod union with null as
 * `{ anyOf: [...], nullable: true }` (AppError's detail values): the null moves into each typed branch, where it
 * counts. Returns a copy.
 */
function nullableInBranches(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableInBranches);
  if (typeof node !== 'object' || node === null) return node;
  const copy = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, nullableInBranches(value)]),
  );
  const branches = copy.anyOf ?? copy.oneOf;
  const typed = (branch: unknown) => typeof branch === 'object' && branch !== null && 'type' in branch;
  if (copy.nullable !== true || 'type' in copy || !Array.isArray(branches) || !branches.every(typed))
    return copy;
  const { nullable: _moved, ...rest } = copy;
  const key = copy.anyOf ? 'anyOf' : 'oneOf';
  return { ...rest, [key]: branches.map((branch: object) => ({ ...branch, nullable: true })) };
}

/**
 * The provider's components (every schema of zod's registry that has an id, as input and as output), keeping
 * only those the operations reach: an unused component is noise to a client generator and a lint warning.
 */
const transformObject: SwaggerTransformObject = (input) => {
  const document = nullableInBranches(jsonSchemaTransformObject(input)) as OpenAPIV3.Document;
  const schemas = document.components?.schemas ?? {};
  const reached = referencedNames(document.paths);
  for (let pending = [...reached]; pending.length > 0; ) {
    const next = [...referencedNames(pending.map((name) => schemas[name]))].filter(
      (name) => !reached.has(name),
    );
    for (const name of next) reached.add(name);
    pending = next;
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
  return { ...document, components: { ...document.components, schemas: kept } };
};

/** The license and contact of package.json, where the project keeps them. */
const author = packageJson.author;

/** @fastify/swagger's options: the document's info, servers, tags and security, and the zod transforms. */
export const openApiOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: {
      title: 'Azure AD Remote Agent',
      // Follows the agent's version: a breaking change to a route needs a new major (openapi-snapshot.ts).
      version: packageJson.version,
      description:
        'Microsoft Online connections of the identity-management host. Every route but health needs the API ' +
        'key as `Authorization: Bearer <key>`. Failures are `application/problem+json` carrying the AppError: ' +
        'branch on `code`, show `message` and `hint`.',
      license: { name: packageJson.license },
      contact: { name: author.name },
    },
    // Relative: Swagger's "Try it out" and generated clients call the host the document came from.
    servers: [{ url: '/', description: 'The agent that serves this document.' }],
    tags: Object.entries(agentTags).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        [apiKeyScheme]: {
          type: 'http',
          scheme: 'bearer',
          description: 'The API key from the agent data folder (api-key); `key show` prints it.',
        },
      },
    },
    security: [{ [apiKeyScheme]: [] }],
  },
  transform,
  transformObject,
};
