import type { z } from 'zod';
import { AppInfoRequestSchema, AppInfoSchema } from '../app-info';
import type { IpcChannel } from './channel-names';

export interface ChannelContract {
  request: z.ZodType;
  response: z.ZodType;
}

/** The single source of truth for IPC: one request and one response schema per channel. */
export const channelMap = {
  'app:info': { request: AppInfoRequestSchema, response: AppInfoSchema },
} as const satisfies Record<IpcChannel, ChannelContract>;

export type RequestOf<C extends IpcChannel> = z.input<(typeof channelMap)[C]['request']>;
export type ParsedRequestOf<C extends IpcChannel> = z.output<(typeof channelMap)[C]['request']>;
export type ResponseOf<C extends IpcChannel> = z.output<(typeof channelMap)[C]['response']>;
