import { z } from 'zod';
import { StageSchema } from '../diagnostics/diagnosis';
import type { IpcEvent } from './channel-names';

export const ProgressEventSchema = z.strictObject({
  operationId: z.string().min(1),
  step: z.string().min(1),
  done: z.number().int().nonnegative(),
  total: z.number().int().positive().optional(),
  /** Device-code sign-in: what the admin must open and type, shown until they do or it expires. */
  deviceCode: z
    .strictObject({
      userCode: z.string(),
      verificationUri: z.string(),
      message: z.string(),
      expiresInSeconds: z.number(),
    })
    .optional(),
  /** Browser sign-in: the sign-in page just opened in the system browser, for "if nothing opened, go here". */
  browser: z.strictObject({ url: z.url({ protocol: /^https$/ }) }).optional(),
  /** Diagnose: a stage just finished, on which part of the result (DiagnoseResult's section names). */
  diagnosis: z
    .strictObject({
      section: z.enum(['thisComputer', 'remoteAgent', 'agentHost']),
      stage: StageSchema,
    })
    .optional(),
});

/** The application menu asks the window to do what its toolbar does. */
export const menuCommands = [
  'newActiveDirectory',
  'newMicrosoftOnline',
  'import',
  'export',
  'settings',
  'exportDiagnostics',
  'showConnections',
  'showAgents',
] as const;
export const MenuEventSchema = z.strictObject({ command: z.enum(menuCommands) });

/**
 * Another process (the CLI, a script) changed the stored connections. It carries no connection data: the
 * window asks again through connections:list, whose answer is validated, rather than trusting data pushed
 * at it. (A fixed tag rather than {}: an empty object type would defeat `'step' in payload` narrowing.)
 */
export const ConnectionsChangedEventSchema = z.strictObject({ by: z.literal('anotherProcess') });

export const eventMap = {
  progress: ProgressEventSchema,
  menu: MenuEventSchema,
  connections: ConnectionsChangedEventSchema,
} as const satisfies Record<IpcEvent, z.ZodType>;

export type EventPayloadOf<E extends IpcEvent> = z.output<(typeof eventMap)[E]>;
