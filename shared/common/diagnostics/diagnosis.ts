import { z } from 'zod';
import { ConnectionIdSchema, DnsNameSchema, TimestampSchema } from '../connections/fields';
import { OperationIdSchema } from '../directory/directory-test';
import { AppErrorSchema } from '../errors/app-error';

// A diagnosis: named stages run from one host against one connection, each with its outcome and timing, so the
// window can draw them as a waterfall and two hosts' runs can be compared stage by stage. Never a secret.

/** ok; warn: works but needs attention (clock skew over 2 min, expiry soon); fail; skipped: an earlier stage failed. */
export const StageStatusSchema = z.enum(['ok', 'warn', 'fail', 'skipped']);

export const StageSchema = z.strictObject({
  /**
   * Stable across hosts so two runs can be compared: `dns.srv`, `dc.<host>.tcp.636`, `online.tls`, `graph.organization`,
   * `agent.health`. Dotted, lower-case words and host names.
   */
  id: z.string().min(1).max(300),
  /** What the waterfall labels the bar with: "TCP 636", "TLS to login.microsoftonline.com". */
  name: z.string().min(1).max(200),
  /** Stages of one domain controller (its host name) share a group; absent for the connection's own stages. */
  group: z.string().max(255).optional(),
  status: StageStatusSchema,
  /** Milliseconds from the diagnosis' start to the stage's start: stages that ran in parallel overlap. */
  startMs: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  /** One line of what the stage found: "3 controllers", "issued by DigiCert Global Root G2", "skew 4 s". */
  detail: z.string().max(1000).optional(),
  /** The typed failure (or warning) with its hint. */
  error: AppErrorSchema.optional(),
});

export const DiagnosisKindSchema = z.enum(['activeDirectory', 'microsoftOnline', 'remoteAgent']);
/** local: this computer; agentHost: the Remote Agent's host, run by the agent itself (POST /api/diagnostics). */
export const DiagnosisSideSchema = z.enum(['local', 'agentHost']);

export const DiagnosisSchema = z.strictObject({
  kind: DiagnosisKindSchema,
  side: DiagnosisSideSchema,
  /** The domain diagnosed (AD domain or tenant domain). */
  domain: z.string().max(253),
  startedAt: TimestampSchema,
  durationMs: z.number().nonnegative(),
  /** The worst stage status. */
  status: StageStatusSchema,
  stages: z.array(StageSchema).max(500),
});

export const DiagnoseRequestSchema = z.strictObject({
  connectionId: ConnectionIdSchema,
  /** Also probe the connection's Remote Agent and run the Microsoft Online stages on its host. */
  agent: z.boolean().default(false),
  /** Registers the run for operation:cancel; stages arrive as progress events meanwhile. */
  operationId: OperationIdSchema.optional(),
});

/** The first stage, in order, whose status differs between this computer and the agent host, in one sentence. */
export const DiagnosisDifferenceSchema = z.strictObject({
  stageId: z.string(),
  sentence: z.string().max(1000),
});

export const DiagnoseResultSchema = z.strictObject({
  connectionId: ConnectionIdSchema,
  domain: z.string(),
  checkedAt: TimestampSchema,
  /** The connection's own stages (AD or Microsoft Online) from this computer. */
  thisComputer: DiagnosisSchema,
  /** The Remote Agent probed from this computer (TCP, TLS/pin, health, key, its copy, the route); null: not asked. */
  remoteAgent: DiagnosisSchema.nullable(),
  /** The Microsoft Online stages as the agent host ran them; null: not asked, or the agent could not be asked. */
  agentHost: DiagnosisSchema.nullable(),
  difference: DiagnosisDifferenceSchema.nullable(),
});

/** POST /api/diagnostics on the Remote Agent: diagnose the agent's own copy of this domain from its host. */
export const AgentDiagnosticsRequestSchema = z.strictObject({
  domain: DnsNameSchema.describe('The domain of the connection to diagnose, e.g. contoso.com'),
});

/** Export diagnostics…: main picks the zip's path in its own Save dialog (the CLI: --bundle FILE). */
export const DiagnosticsBundleRequestSchema = z.strictObject({
  /** The connections whose last diagnosis goes in; those not diagnosed this session are diagnosed first. */
  connectionIds: z.array(ConnectionIdSchema).min(1).max(500),
  /** Whether connections diagnosed for the bundle also probe their Remote Agent. */
  agent: z.boolean().default(false),
  operationId: OperationIdSchema.optional(),
});

export const DiagnosticsBundleResultSchema = z.discriminatedUnion('saved', [
  z.strictObject({
    saved: z.literal(true),
    file: z.string(),
    bytes: z.number().int().nonnegative(),
    /** The names of the files inside the zip. */
    entries: z.array(z.string()).max(2000),
  }),
  /** The admin closed the Save dialog. */
  z.strictObject({ saved: z.literal(false) }),
]);

export type StageStatus = z.output<typeof StageStatusSchema>;
export type Stage = z.output<typeof StageSchema>;
export type Diagnosis = z.output<typeof DiagnosisSchema>;
export type DiagnosisKind = z.output<typeof DiagnosisKindSchema>;
export type DiagnoseRequest = z.output<typeof DiagnoseRequestSchema>;
export type DiagnoseResult = z.output<typeof DiagnoseResultSchema>;
export type DiagnosisDifference = z.output<typeof DiagnosisDifferenceSchema>;
export type DiagnosticsBundleRequest = z.output<typeof DiagnosticsBundleRequestSchema>;
export type DiagnosticsBundleResult = z.output<typeof DiagnosticsBundleResultSchema>;
