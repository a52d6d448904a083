import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { AppError } from '../../../shared/common/errors/app-error';
import { useConnectionsStore } from '../stores/connections-store';
import { useDialogsStore } from '../stores/dialogs-store';
import { ErrorBar } from './ErrorBar';

export function DeleteConnectionDialog({ connectionId }: { connectionId: string }) {
  const connection = useConnectionsStore((s) => s.connections.find((c) => c.id === connectionId));
  const remove = useConnectionsStore((s) => s.remove);
  const close = useDialogsStore((s) => s.close);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const confirm = async () => {
    setBusy(true);
    const result = await remove(connectionId);
    setBusy(false);
    if (result.ok) close();
    else setError(result.error);
  };

  return (
    <Dialog open modalType="alert" onOpenChange={(_, data) => !data.open && !busy && close()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Delete connection?</DialogTitle>
          <DialogContent>
            {connection
              ? `"${connection.name}" and its stored ${connection.kind === 'activeDirectory' ? 'password' : 'secret'} will be removed from this computer. The Remote Agent and the Workflow Engine keep their own copies.`
              : 'This connection no longer exists.'}
            {error && <ErrorBar error={error} />}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button appearance="primary" onClick={confirm} disabled={busy || !connection}>
              {busy ? <Spinner size="tiny" label="Deleting…" /> : 'Delete'}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
