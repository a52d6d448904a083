import type { ConnectionsExport } from '../../../shared/common/connections/transfer';

/** Offers the export as a download; Electron and Chromium both ask where to save it. */
export function downloadExport(document: ConnectionsExport): void {
  const blob = new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const anchor = Object.assign(window.document.createElement('a'), {
    href: url,
    download: `connections-${document.exportedAt.slice(0, 10)}.json`,
  });
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type PickedFile = { name: string; ok: true; content: unknown } | { name: string; ok: false };

/** Lets the admin pick a JSON file; resolves with its parsed content, or null when cancelled. */
export function pickJsonFile(): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = Object.assign(window.document.createElement('input'), {
      type: 'file',
      accept: '.json,application/json',
    });
    input.addEventListener('cancel', () => resolve(null));
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (!file) return resolve(null);
      try {
        resolve({ name: file.name, ok: true, content: JSON.parse(await file.text()) });
      } catch {
        resolve({ name: file.name, ok: false });
      }
    });
    input.click();
  });
}
