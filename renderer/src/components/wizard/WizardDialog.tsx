import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  mergeClasses,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useDialogFrameStyles } from '../dialog-frame-styles';

export interface WizardStep {
  id: string;
  title: string;
}

const useStyles = makeStyles({
  surface: { width: '760px', maxWidth: '95vw' },
  layout: {
    display: 'grid',
    gridTemplateColumns: '190px minmax(0, 1fr)',
    gap: tokens.spacingHorizontalXL,
    // The steps' divider runs the full height of the fixed frame.
    minHeight: '100%',
  },
  steps: {
    margin: 0,
    padding: `0 ${tokens.spacingHorizontalM} 0 0`,
    listStyleType: 'none',
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  step: { color: tokens.colorNeutralForeground3 },
  current: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  done: { color: tokens.colorNeutralForeground1 },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
});

export interface WizardDialogProps {
  title: string;
  steps: readonly WizardStep[];
  current: number;
  children: ReactNode;
  busy?: string | null;
  /** Next cannot go on from this page as it stands (the page says why and offers its own way on). */
  nextDisabled?: boolean;
  onBack(): void;
  onNext(): void;
  onFinish(): void;
  onCancel(): void;
}

/** The legacy tool's wizard frame: steps on the left, Back / Next / Cancel / Finish at the bottom. */
export function WizardDialog({
  title,
  steps,
  current,
  children,
  busy,
  nextDisabled = false,
  onBack,
  onNext,
  onFinish,
  onCancel,
}: WizardDialogProps) {
  const styles = useStyles();
  const frame = useDialogFrameStyles();
  const last = current === steps.length - 1;
  return (
    <Dialog open modalType="modal" onOpenChange={(_, data) => !data.open && onCancel()}>
      <DialogSurface className={mergeClasses(frame.surface, styles.surface)} aria-label={title}>
        <DialogBody className={frame.body}>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className={frame.content}>
            <div className={styles.layout}>
              <ol className={styles.steps} aria-label="Steps">
                {steps.map((step, index) => (
                  <li
                    key={step.id}
                    aria-current={index === current ? 'step' : undefined}
                    className={mergeClasses(
                      styles.step,
                      index < current && styles.done,
                      index === current && styles.current,
                    )}
                  >
                    <Text weight={index === current ? 'semibold' : 'regular'}>{step.title}</Text>
                  </li>
                ))}
              </ol>
              <form
                className={styles.content}
                aria-label={steps[current]?.title}
                onSubmit={(event) => {
                  event.preventDefault();
                  if (!busy && (last || !nextDisabled)) (last ? onFinish : onNext)();
                }}
              >
                {children}
                {/* Enter in any field submits the step, as in the legacy wizard. */}
                <button type="submit" hidden aria-hidden tabIndex={-1} />
              </form>
            </div>
          </DialogContent>
          <DialogActions>
            {busy && <Spinner size="tiny" label={busy} />}
            <Button onClick={onBack} disabled={current === 0 || Boolean(busy)}>
              Back
            </Button>
            {last ? (
              <Button appearance="primary" onClick={onFinish} disabled={Boolean(busy)}>
                Finish
              </Button>
            ) : (
              <Button appearance="primary" onClick={onNext} disabled={Boolean(busy) || nextDisabled}>
                Next
              </Button>
            )}
            {/* Never disabled: Cancel also stops whatever is running (a sign-in, a discovery). */}
            <Button onClick={onCancel}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
