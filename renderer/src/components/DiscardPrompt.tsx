import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import { useRef, useState } from 'react';

/**
 * Cancel on a form with edits asks first. `request()` closes straight away when nothing changed; otherwise the
 * prompt's Discard closes and Keep editing returns to the form.
 */
export function useDiscardGuard(dirty: boolean, close: () => void) {
  const [asking, setAsking] = useState(false);
  // The prompt has no trigger element to hand focus back to: return it to where the admin was typing.
  const returnTo = useRef<HTMLElement | null>(null);
  const request = () => {
    if (!dirty) return close();
    returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setAsking(true);
  };
  const keepEditing = () => {
    setAsking(false);
    requestAnimationFrame(() => returnTo.current?.focus());
  };
  const prompt = asking ? (
    <Dialog open modalType="alert" onOpenChange={(_, data) => !data.open && keepEditing()}>
      <DialogSurface aria-label="Discard changes?">
        <DialogBody>
          <DialogTitle>Discard changes?</DialogTitle>
          <DialogContent>Your edits in this window have not been saved.</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={keepEditing}>
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
