import { z } from 'zod';
import { LastTestSchema } from '../connections/connection';
import { ConnectionIdSchema, DnsNameSchema, TimestampSchema } from '../connections/fields';
import { OperationIdSchema } from '../directory/directory-test';

// The fleet: every Remote Agent the utility knows of (saved connections' agents and the Workflow Engine's routes)
// and, per domain, the three copies of the truth (the store, the agent, the route) side by side.

export const FleetAgentStateSchema = z.enum([
  'running',
  'unreachable',
  /** The agent refused the stored key (401). */
  'keyRejected',
  /** No API key is stored for it yet: health only. */
  'noKey',
  'certificateChanged',
  'certificateUntrusted',
  /** Plain HTTP beyond loopback without Allow insecure connection: not contacted. */
  'insecure',
]);

export const FleetAgentSchema = z.strictObject({
  /** scheme://host:port, the spelling routes use. */
  url: z.string(),
  host: z.string(),
  port: z.number().int(),
  useTls: z.boolean(),
  state: FleetAgentStateSchema,
  /** Why it is not running, one sentence with the next step. */
  message: z.string().max(1000).optional(),
  version: z.string().nullable(),
  /** The domains its GET /api/connections lists (empty when it could not be asked). */
  domains: z.array(z.string()).max(10_000),
  /** The last TestConnection through this agent of any connection, as the store recorded it. */
  lastTest: LastTestSchema.nullable(),
  /** Its HTTPS certificate's expiry as last seen; null: plain HTTP or unknown. */
  certificateExpiresAt: TimestampSchema.nullable(),
  /** Where the utility learned of it. */
  sources: z.array(z.enum(['connection', 'route', 'settings'])).max(3),
  /** Milliseconds the probe took. */
  durationMs: z.number().nonnegative(),
});

export const DriftSchema = z.enum([
  /** The connection's agent has no copy of the domain. */
  'missingOnAgent',
  /** The agent's copy is older than the store's (revision), or carries none. */
  'staleOnAgent',
  /** The connection has no Workflow Engine route. */
  'noRoute',
  /** The route points at another agent than the connection's. */
  'routeToOtherAgent',
  /** The route points at an agent that lacks the domain. */
  'routeToAgentWithoutDomain',
  /** The route points at an agent that could not be reached. */
  'routeToUnreachableAgent',
  /** A route for a domain no saved connection has. */
  'routeWithoutConnection',
  /** The route names another connection (its connectionId) than the domain's saved one. */
  'routeToOtherConnection',
]);

/** Each the existing operation: agent:update, we:register, or removing the one route from the routes file. */
export const RepairActionSchema = z.enum(['updateAgent', 'registerRoute', 'removeRoute']);

export const FleetRowSchema = z.strictObject({
  domain: z.string(),
  connection: z
    .strictObject({
      id: ConnectionIdSchema,
      name: z.string(),
      revision: TimestampSchema,
      agentUrl: z.string(),
    })
    .nullable(),
  /** The copy on the connection's agent; null when the agent could not be asked. */
  agentCopy: z.strictObject({ present: z.boolean(), revision: TimestampSchema.nullable() }).nullable(),
  route: z.strictObject({ agentUrl: z.string(), connectionId: z.string() }).nullable(),
  drift: z.array(DriftSchema).max(10),
  /** The repairs that would make the row agree, in the order they run. */
  repairs: z.array(RepairActionSchema).max(3),
});

export const FleetStatusRequestSchema = z.strictObject({ operationId: OperationIdSchema.optional() });

/** The most agents one status holds: more are left unprobed and counted in `truncated`. */
export const fleetAgentLimit = 1000;

/**
 * The most rows one status holds: more are left out and counted in `rowsTruncated`, those in agreement first,
 * so no row that needs a repair is hidden while one that needs none is shown.
 */
export const fleetRowLimit = 10_000;

export const FleetStatusSchema = z.strictObject({
  checkedAt: TimestampSchema,
  routesFile: z.string(),
  agents: z.array(FleetAgentSchema).max(fleetAgentLimit),
  /** How many more agents were known (a routes file naming over the limit): neither probed nor listed. */
  truncated: z.number().int().positive().optional(),
  /** Sorted by domain; over fleetRowLimit, the rows with drift first (each part sorted by domain). */
  rows: z.array(FleetRowSchema).max(fleetRowLimit),
  /** How many more rows there were (a store and routes file naming over the limit): left out of `rows`. */
  rowsTruncated: z.number().int().positive().optional(),
  /** Rows with drift, those left out included. */
  driftCount: z.number().int().nonnegative(),
});

/**
 * Names only a domain and an action: main finds the connection, its agent and the route itself, so no request
 * can choose where a secret goes or which file is written.
 */
export const FleetRepairRequestSchema = z.strictObject({
  /** Absent: every repair the status proposes (Repair all). */
  repairs: z
    .array(z.strictObject({ domain: DnsNameSchema, action: RepairActionSchema }))
    .min(1)
    .max(10_000)
    .optional(),
  dryRun: z.boolean().default(false),
  operationId: OperationIdSchema.optional(),
});

export const FleetRepairReportSchema = z.strictObject({
  results: z
    .array(
      z.strictObject({
        domain: z.string(),
        action: RepairActionSchema,
        /** planned: a dry run's; skipped: not needed any more, or an earlier repair of the row failed. */
        outcome: z.enum(['done', 'failed', 'skipped', 'planned']),
        message: z.string().max(1000),
      }),
    )
    .max(30_000),
  /** The fleet after the repairs (null on a dry run). */
  after: FleetStatusSchema.nullable(),
});

export type FleetAgentState = z.output<typeof FleetAgentStateSchema>;
export type FleetAgent = z.output<typeof FleetAgentSchema>;
export type Drift = z.output<typeof DriftSchema>;
export type RepairAction = z.output<typeof RepairActionSchema>;
export type FleetRow = z.output<typeof FleetRowSchema>;
export type FleetStatus = z.output<typeof FleetStatusSchema>;
export type FleetRepairRequest = z.output<typeof FleetRepairRequestSchema>;
export type FleetRepairReport = z.output<typeof FleetRepairReportSchema>;
