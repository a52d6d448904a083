import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { unknownChannelError } from '../shared/common/errors/ipc-errors';
import { bridgeGlobalName, type ConnectionUtilityBridge } from '../shared/common/ipc/bridge';
import { eventChannelName, isIpcChannel, isIpcEvent } from '../shared/common/ipc/channel-names';

// The renderer gets exactly these two functions; it never sees ipcRenderer or an unlisted channel.
const bridge: ConnectionUtilityBridge = {
  invoke(channel, request) {
    if (!isIpcChannel(channel)) {
      return Promise.resolve({ ok: false, error: unknownChannelError() });
    }
    return ipcRenderer.invoke(channel, request);
  },
  on(event, listener) {
    if (!isIpcEvent(event)) {
      throw new TypeError(`Unknown event: ${String(event)}`);
    }
    const name = eventChannelName(event);
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(name, forward);
    return () => {
      ipcRenderer.removeListener(name, forward);
    };
  },
};

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge);
