import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionUtilityBridge } from '../shared/common/ipc/bridge';

// Electron itself is the only thing replaced: the module under test is the real preload.
const exposed = new Map<string, unknown>();
const ipcRenderer = {
  invoke: vi.fn(async () => ({ ok: true, value: {} })),
  on: vi.fn(),
  removeListener: vi.fn(),
};
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) },
  ipcRenderer,
}));

async function loadBridge(): Promise<ConnectionUtilityBridge> {
  await import('./preload');
  return exposed.get('connectionUtility') as ConnectionUtilityBridge;
}

describe('preload', () => {
  beforeEach(() => {
    ipcRenderer.invoke.mockClear();
  });

  it('exposes exactly invoke and on, under window.connectionUtility only', async () => {
    const bridge = await loadBridge();
    expect([...exposed.keys()]).toEqual(['connectionUtility']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards an allow-listed channel to main', async () => {
    const bridge = await loadBridge();
    await bridge.invoke('app:info', {});
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('app:info', {});
  });

  it('answers an unlisted channel itself, without touching IPC', async () => {
    const bridge = await loadBridge();
    const result = await bridge.invoke('fs:readFile' as 'app:info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc.unknownChannel' } });
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('subscribes to events on their own channel names and unsubscribes', async () => {
    const bridge = await loadBridge();
    const off = bridge.on('progress', () => {});
    expect(ipcRenderer.on).toHaveBeenCalledWith('event:progress', expect.any(Function));
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('event:progress', expect.any(Function));
    expect(() => bridge.on('app:info' as 'progress', () => {})).toThrow(TypeError);
  });
});
