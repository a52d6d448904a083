import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import { useState } from 'react';

/**
 * Cancel on a form with edits asks first. `request()` closes straight away when nothing changed; otherwise the
 * prompt's Discard closes and Keep editing returns to the form.
 */
export function useDiscardGuard(dirty: boolean, close: () => void) {
  const [asking, setAsking] = useState(false);
  const request = () => (dirty ? setAsking(true) : close());
  const prompt = asking ? (
    <Dialog open modalType="alert" onOpenChange={(_, data) => !data.open && setAsking(false)}>
      <DialogSurface aria-label="Discard changes?">
        <DialogBody>
          <DialogTitle>Discard changes?</DialogTitle>
          <DialogContent>Your edits in this window have not been saved.</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={() => setAsking(false)}>
              Keep editing
            </Button>
            <Button onClick={close}>Discard</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  ) : null;
  return { request, prompt };
}
