import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';

/** What main asks its Save dialog: the window never sees or sets any of it. */
export interface SaveFileRequest {
  title: string;
  /** The file in use, so the dialog opens where routes go today. */
  defaultPath: string;
  buttonLabel: string;
  filters: { name: string; extensions: string[] }[];
}

/**
 * Main's own Save dialog: Electron's dialog.showSaveDialog, a stand-in the e2e tests answer on the development
 * host, or none in the CLI (which takes --routes). Resolves to the chosen path, or null when cancelled.
 */
export type FileChooser = (request: SaveFileRequest) => Promise<string | null>;

/** The CLI's "dialog": there is none, so the admin names the file where main can trust it. */
export const noFileDialog: FileChooser = async () => {
  throw new AppFailure({
    code: AppErrorCode.settingsNoFileDialog,
    message: 'There is no window here to choose the routes file in.',
    hint: 'Pass --routes FILE to "we register", or set CU_WORKFLOW_ENGINE_ROUTES.',
  });
};
