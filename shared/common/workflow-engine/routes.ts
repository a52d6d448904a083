import { z } from 'zod';
import { ConnectionIdSchema, DnsNameSchema, TimestampSchema } from '../connections/fields';

export const routesFileVersion = 1;

export const AgentUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL of the Remote Agent' })
  .max(2048)
  // One spelling per agent, so the Workflow Engine compares routes as strings.
  .transform((value) => value.replace(/\/+$/, ''));

/** One route as the Workflow Engine reads it. Loose: fields the Workflow Engine added itself survive a rewrite. */
export const RouteSchema = z.looseObject({
  agentUrl: z.string(),
  connectionId: z.string(),
  updatedAt: z.string(),
});

/**
 * The Workflow Engine's routes file: `{ version: 1, routes: { "<domain>": { agentUrl, connectionId, updatedAt } } }`.
 * Every level is loose: this file belongs to the Workflow Engine, and we only ever change one route in it.
 */
export const RoutesFileSchema = z.looseObject({
  version: z.literal(routesFileVersion),
  routes: z.record(z.string(), RouteSchema),
});

export type RoutesFile = z.output<typeof RoutesFileSchema>;
export type Route = z.output<typeof RouteSchema>;

export const WeRegisterRequestSchema = z.strictObject({
  domain: DnsNameSchema,
  agentUrl: AgentUrlSchema,
  /** Absent: the Microsoft Online connection of this domain in the store. */
  connectionId: ConnectionIdSchema.optional(),
  // No file: main writes the routes file of Settings (chosen in main's dialog), CU_WORKFLOW_ENGINE_ROUTES or
  // the default; only the CLI's own --routes overrides it, outside the request (HandlerContext.host).
});

export const WeRegisterResultSchema = z.strictObject({
  routesFile: z.string(),
  domain: z.string(),
  route: z.strictObject({ agentUrl: z.string(), connectionId: z.string(), updatedAt: TimestampSchema }),
  /** The route this one replaced, if the domain had one. */
  previous: z.strictObject({ agentUrl: z.string(), connectionId: z.string() }).nullable(),
  routeCount: z.number().int(),
});

export type WeRegisterRequest = z.input<typeof WeRegisterRequestSchema>;
export type WeRegisterResult = z.output<typeof WeRegisterResultSchema>;
