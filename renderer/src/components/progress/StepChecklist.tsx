import { makeStyles, mergeClasses, Spinner, Text, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircleRegular,
  CircleRegular,
  DismissCircleRegular,
  SubtractCircleRegular,
} from '@fluentui/react-icons';
import { type Checklist, type ChecklistStep, formatStepTime, type StepStatus } from './step-checklist';

const useStyles = makeStyles({
  list: {
    margin: 0,
    padding: 0,
    listStyleType: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  step: {
    display: 'grid',
    gridTemplateColumns: '20px minmax(0, 1fr) auto',
    columnGap: tokens.spacingHorizontalS,
    alignItems: 'center',
  },
  icon: { display: 'flex', justifyContent: 'center', fontSize: '16px' },
  note: { gridColumn: '2 / 4', whiteSpace: 'pre-wrap' },
  hint: { gridColumn: '2 / 4' },
  pending: { color: tokens.colorNeutralForeground3 },
  done: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  skipped: { color: tokens.colorNeutralForeground2 },
  running: { fontWeight: tokens.fontWeightSemibold },
  time: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap' },
  // Read by screen readers before each step; the icon only repeats it for the eye.
  hidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
});

const statusLabel: Record<StepStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Not done',
};

function StatusIcon({ status }: { status: StepStatus }) {
  const styles = useStyles();
  switch (status) {
    case 'running':
      return <Spinner size="extra-tiny" aria-hidden />;
    case 'done':
      return <CheckmarkCircleRegular aria-hidden className={styles.done} />;
    case 'failed':
      return <DismissCircleRegular aria-hidden className={styles.failed} />;
    case 'skipped':
      return <SubtractCircleRegular aria-hidden className={styles.skipped} />;
    default:
      return <CircleRegular aria-hidden className={styles.pending} />;
  }
}

function timeOf(step: ChecklistStep): string | null {
  if (step.alreadyDone) return 'already done';
  if (step.status === 'running') return 'running…';
  return step.ms !== undefined && step.status !== 'skipped' ? formatStepTime(step.ms) : null;
}

/** The steps of an operation: pending, running (spinner), done with its time, failed or not done with why. */
export function StepChecklist({ checklist, label }: { checklist: Checklist; label: string }) {
  const styles = useStyles();
  return (
    <ol className={styles.list} aria-label={label}>
      {checklist.steps.map((step) => {
        const time = timeOf(step);
        return (
          <li key={step.name} className={styles.step} data-status={step.status}>
            <span className={styles.icon}>
              <StatusIcon status={step.status} />
            </span>
            <Text
              className={mergeClasses(
                step.status === 'pending' && styles.pending,
                step.status === 'running' && styles.running,
              )}
            >
              <span className={styles.hidden}>{statusLabel[step.status]}: </span>
              {step.name}
            </Text>
            <Text size={200} className={styles.time}>
              {time}
            </Text>
            {step.note && (
              <Text
                size={200}
                className={mergeClasses(styles.note, step.status === 'failed' && styles.failed)}
              >
                {step.note}
              </Text>
            )}
            {step.hint && (
              <Text size={200} className={styles.hint}>
                {step.hint}
              </Text>
            )}
          </li>
        );
      })}
    </ol>
  );
}
