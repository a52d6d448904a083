import { type BrowserWindow, dialog, type SaveDialogOptions } from 'electron';
import type { FileChooser } from '../../shared/node/ipc/file-chooser';

/** Main's Save dialog, modal on the window when there is one: the admin, not the window's script, picks the path. */
export function saveDialogChooser(parent: () => BrowserWindow | null): FileChooser {
  return async (request) => {
    const options: SaveDialogOptions = {
      title: request.title,
      defaultPath: request.defaultPath,
      buttonLabel: request.buttonLabel,
      filters: request.filters,
      properties: ['createDirectory', 'dontAddToRecent'],
    };
    const window = parent();
    const result = window
      ? await dialog.showSaveDialog(window, options)
      : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  };
}
