import { z } from 'zod';
import {
  ConnectionIdSchema,
  HostSchema,
  PemCertificatesSchema,
  PortSchema,
  Sha256FingerprintSchema,
} from '../connections/fields';
import { AgentHealthSchema } from './agent-api';

export const AgentEndpointSchema = z.strictObject({
  host: HostSchema.default('localhost'),
  port: PortSchema.default(40002),
  useTls: z.boolean().default(false),
  /** Plain HTTP beyond loopback (else agent.insecureTransport): the API key would travel in clear. */
  allowInsecure: z.boolean().default(false),
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

/**
 * "Trust this agent": pin the certificate the agent at host:port presents, if it is the one the admin compared.
 * Main connects itself and pins only what it is shown there; the fingerprint says which certificate the admin
 * confirmed, so a certificate swapped in between is refused, not pinned.
 */
export const AgentTrustRequestSchema = z.strictObject({
  host: HostSchema,
  port: PortSchema,
  fingerprint: Sha256FingerprintSchema,
});

export const AgentTrustSchema = z.strictObject({
  url: z.string(),
  fingerprint: Sha256FingerprintSchema,
  /** The pin it replaces (a changed certificate trusted again), if any. */
  previous: Sha256FingerprintSchema.nullable(),
});

export type AgentTrustRequest = z.output<typeof AgentTrustRequestSchema>;
