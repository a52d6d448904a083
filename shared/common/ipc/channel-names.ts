/**
 * The allow-list the preload bridge checks. Kept free of zod so the sandboxed preload stays tiny;
 * channel-map.ts fails to compile if the two ever disagree.
 */
export const ipcChannels = [
  'app:info',
  'connections:list',
  'connections:get',
  'connections:save',
  'connections:delete',
  'connections:export',
  'connections:import',
  'ad:test',
  'ad:discoverControllers',
  'ad:trustCertificate',
  'operation:cancel',
  'entra:test',
  'entra:listDomains',
  'entra:startDeviceCode',
  'entra:setupApp',
  'agent:status',
  'agent:update',
  'agent:test',
  'agent:trustCertificate',
  'entra:checkEndpoints',
  'entra:renewCertificate',
  'settings:get',
  'settings:save',
  'settings:chooseRoutesFile',
  'we:register',
  'connections:testHistory',
  'diagnostics:run',
  'diagnostics:exportBundle',
  'fleet:status',
  'fleet:repair',
] as const;
export type IpcChannel = (typeof ipcChannels)[number];

/** Events main pushes to the renderer. */
export const ipcEvents = ['progress', 'menu', 'connections'] as const;
export type IpcEvent = (typeof ipcEvents)[number];

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && (ipcChannels as readonly string[]).includes(value);
}

export function isIpcEvent(value: unknown): value is IpcEvent {
  return typeof value === 'string' && (ipcEvents as readonly string[]).includes(value);
}

/** Events travel on their own Electron channel names so they can never collide with an invoke channel. */
export function eventChannelName(event: IpcEvent): string {
  return `event:${event}`;
}
