import { z } from 'zod';
import { ConnectionIdSchema, HostSchema, PemCertificatesSchema, PortSchema } from '../connections/fields';
import { AgentHealthSchema } from './agent-api';

export const AgentEndpointSchema = z.strictObject({
  host: HostSchema.default('localhost'),
  port: PortSchema.default(40002),
  useTls: z.boolean().default(false),
  caPem: PemCertificatesSchema.optional(),
});

export const AgentStatusRequestSchema = AgentEndpointSchema.extend({
  /** Typed once, then remembered sealed for this host:port. */
  apiKey: z.string().min(1).max(200).optional(),
});

export const AgentStatusSchema = z.strictObject({
  url: z.string(),
  health: AgentHealthSchema,
  /** Whether the (stored or given) API key is accepted; null when there is none yet. */
  authorized: z.boolean().nullable(),
});

/** Update Remote Agent / Test AAD Connection for a saved Microsoft Online connection, at its remoteAgent. */
export const AgentConnectionRequestSchema = z.strictObject({
  connectionId: ConnectionIdSchema,
  apiKey: z.string().min(1).max(200).optional(),
  /** Another agent than the connection's own remoteAgent (the CLI's --host/--port). */
  endpoint: AgentEndpointSchema.optional(),
});
