import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';

export interface RemoveRouteDialogProps {
  domain: string;
  /** Where the route sends the domain now, when the status knows it. */
  agentUrl: string | null;
  onConfirm(): void;
  onCancel(): void;
}

/** Removing a route stops the Workflow Engine passing the domain anywhere: the one repair that asks first. */
export function RemoveRouteDialog({ domain, agentUrl, onConfirm, onCancel }: RemoveRouteDialogProps) {
  return (
    <Dialog open modalType="alert" onOpenChange={(_, data) => !data.open && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Remove the route for {domain}?</DialogTitle>
          <DialogContent>
            The Workflow Engine will no longer pass {domain}
            {agentUrl ? ` to ${agentUrl}` : ''}. Only this route is removed from its routes file; the
            connections and the agents stay as they are. Update Agent in WE adds it again.
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <Button appearance="primary" onClick={onConfirm}>
              Remove route
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
