import { makeStyles, ProgressBar, Text, tokens } from '@fluentui/react-components';
import type { FleetProgress as Progress } from '../../stores/fleet-store';

const useStyles = makeStyles({
  line: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `0 ${tokens.spacingHorizontalL}`,
  },
});

/** How far the running check or repair is; the bar fills when main says how many steps there are. */
export function FleetProgress({ label, progress }: { label: string; progress: Progress | null }) {
  const styles = useStyles();
  const total = progress?.total ?? 0;
  const done = Math.min(progress?.done ?? 0, total);
  const counted = total ? ` (${done} of ${total})` : '';
  return (
    <div className={styles.line} role="status" aria-label="Progress">
      <Text size={200}>{`${label}${counted}`}</Text>
      <ProgressBar
        aria-label={label}
        thickness="medium"
        value={total ? done : undefined}
        max={total || undefined}
      />
    </div>
  );
}
