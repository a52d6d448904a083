import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { Component, type ReactNode, useEffect, useRef } from 'react';
import { AppErrorCode } from '../../../shared/common/errors/error-codes';
import { ErrorBar } from './ErrorBar';

const useStyles = makeStyles({
  // Where the dialog would have appeared, above the panel; the rest of the window stays usable around it.
  failure: {
    position: 'fixed',
    inset: 0,
    margin: 'auto',
    height: 'fit-content',
    width: 'min(480px, calc(100vw - 32px))',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow16,
  },
});

/** A thrown value's own words, short: a chunk that failed to load names its file, nothing the admin typed. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function DialogFailure({ reason, onClose }: { reason: string; onClose: () => void }) {
  const styles = useStyles();
  const close = useRef<HTMLButtonElement>(null);
  // The dialog that failed would have taken focus; Close takes it instead, so Enter or Space dismisses this.
  useEffect(() => close.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-label="This window part could not be loaded"
      className={styles.failure}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <ErrorBar
        error={{
          code: AppErrorCode.internal,
          message: `This window part could not be loaded: ${reason}`,
          hint: 'Restart Connection Utility.',
        }}
        actions={
          <Button ref={close} onClick={onClose}>
            Close
          </Button>
        }
      />
    </div>
  );
}

interface DialogErrorBoundaryProps {
  children: ReactNode;
  /** Closes the dialog that failed; the boundary is keyed by the dialog, so the next one starts afresh. */
  onClose: () => void;
}

/**
 * Around a lazily loaded dialog: if its chunk cannot be loaded (or it throws while rendering), the dialog's place
 * says so and can be closed, instead of React unmounting the whole window and leaving it blank.
 */
export class DialogErrorBoundary extends Component<DialogErrorBoundaryProps, { reason: string | null }> {
  override state: { reason: string | null } = { reason: null };

  static getDerivedStateFromError(error: unknown): { reason: string } {
    return { reason: reasonOf(error) };
  }

  override render() {
    if (this.state.reason === null) return this.props.children;
    return <DialogFailure reason={this.state.reason} onClose={this.props.onClose} />;
  }
}
