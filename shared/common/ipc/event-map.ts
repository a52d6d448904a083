import { z } from 'zod';
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
});

/** The application menu asks the window to do what its toolbar does. */
export const menuCommands = [
  'newActiveDirectory',
  'newMicrosoftOnline',
  'import',
  'export',
  'settings',
] as const;
export const MenuEventSchema = z.strictObject({ command: z.enum(menuCommands) });

export const eventMap = {
  progress: ProgressEventSchema,
  menu: MenuEventSchema,
} as const satisfies Record<IpcEvent, z.ZodType>;

export type EventPayloadOf<E extends IpcEvent> = z.output<(typeof eventMap)[E]>;
