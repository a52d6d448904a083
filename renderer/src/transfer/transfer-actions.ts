import { AppErrorCode } from '../../../shared/common/errors/error-codes';
import { useConnectionsStore } from '../stores/connections-store';
import { useDialogsStore } from '../stores/dialogs-store';
import { downloadExport, pickJsonFile } from './connections-file';

/** Import...: pick an export file, add its connections, then show what was imported and what was skipped. */
export async function importFromFile(): Promise<void> {
  const file = await pickJsonFile();
  if (!file) return;
  const outcome = file.ok
    ? await useConnectionsStore.getState().importDocument(file.content)
    : ({
        ok: false,
        error: {
          code: AppErrorCode.inputInvalid,
          message: `${file.name} is not valid JSON.`,
          hint: 'Choose a file made with Export...',
        },
      } as const);
  useDialogsStore.getState().open({ kind: 'importReport', fileName: file.name, outcome });
}

/** Export...: every connection, without secrets, to a file. */
export async function exportToFile(): Promise<void> {
  const result = await useConnectionsStore.getState().exportAll();
  if (result.ok) downloadExport(result.value);
}
