import { create } from 'zustand';
import type { ImportReport } from '../../../shared/common/connections/transfer';
import type { AppError } from '../../../shared/common/errors/app-error';

/** One modal at a time: which one is open, and what it shows. */
export type OpenDialog =
  | { kind: 'newActiveDirectory' }
  | { kind: 'newMicrosoftOnline' }
  | { kind: 'settings' }
  | { kind: 'confirmDelete'; connectionId: string }
  | { kind: 'editConnection'; connectionId: string }
  | { kind: 'diagnose'; connectionId: string }
  | { kind: 'exportDiagnostics' }
  | {
      kind: 'importReport';
      fileName: string;
      outcome: { ok: true; value: ImportReport } | { ok: false; error: AppError };
    };

interface DialogsState {
  dialog: OpenDialog | null;
  open(dialog: OpenDialog): void;
  close(): void;
}

export const useDialogsStore = create<DialogsState>((set) => ({
  dialog: null,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
}));
