import {
  Badge,
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { RepairReportView } from '../../stores/fleet-store';
import { outcomeWords, repairWords, reportSummary } from './fleet-words';

const useStyles = makeStyles({
  report: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: `0 ${tokens.spacingHorizontalL}`,
  },
  list: {
    margin: 0,
    padding: 0,
    // About five lines: the tables below, where the result shows, keep their room.
    maxHeight: '112px',
    overflowY: 'auto',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
  },
  item: { listStyleType: 'none', display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  badge: { flexShrink: 0, minWidth: '72px' },
});

function titleOf(report: RepairReportView): string {
  if (report.scope === 'all') return 'Repair all finished';
  return `${repairWords[report.scope.action]} for ${report.scope.domain} finished`;
}

/** What a repair did, failed to do and left alone, each with main's reason; the tables below show the result. */
/** What needs the admin first: failures, then what was left alone; each group in main's order. */
const attention: Record<RepairReportView['results'][number]['outcome'], number> = {
  failed: 0,
  skipped: 1,
  planned: 2,
  done: 3,
};

export function RepairReport({ report, onDismiss }: { report: RepairReportView; onDismiss(): void }) {
  const styles = useStyles();
  const failed = report.results.some((result) => result.outcome === 'failed');
  const results = report.results.toSorted((a, b) => attention[a.outcome] - attention[b.outcome]);
  return (
    <section className={styles.report} aria-label="Repair report">
      <MessageBar intent={failed ? 'warning' : 'success'} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{titleOf(report)}</MessageBarTitle>
          {reportSummary(report.results)}
        </MessageBarBody>
        <MessageBarActions
          containerAction={
            <Button
              appearance="transparent"
              aria-label="Dismiss the repair report"
              icon={<DismissRegular />}
              onClick={onDismiss}
            />
          }
        />
      </MessageBar>
      {report.results.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a long report scrolls, and the keyboard must scroll it too.
        <ul className={styles.list} aria-label="Repairs" tabIndex={0}>
          {results.map((result, index) => {
            const outcome = outcomeWords[result.outcome];
            return (
              // A domain can take the same action once, but the report is main's list: its order is the key.
              // biome-ignore lint/suspicious/noArrayIndexKey: the report is replaced whole, never reordered.
              <li key={index} className={styles.item} data-outcome={result.outcome}>
                <Badge className={styles.badge} appearance="tint" color={outcome.colour}>
                  {outcome.text}
                </Badge>
                <Text>
                  <Text weight="semibold">
                    {repairWords[result.action]} · {result.domain}
                  </Text>
                  {`: ${result.message}`}
                </Text>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
