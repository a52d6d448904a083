import {
  makeStyles,
  mergeClasses,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens,
} from '@fluentui/react-components';
import type { TestHistoryEntry } from '../../../../shared/common/connections/test-history';
import { defaultTimeFormat, formatDuration, resultWords, sourceLabel } from './test-history-layout';

const useStyles = makeStyles({
  failed: { color: tokens.colorPaletteRedForeground1 },
  summary: { overflowWrap: 'anywhere' },
  // Fluent's cells are one line high; a summary may take two.
  cell: { height: 'auto', paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS },
  // The summary gets what the short columns leave.
  time: { width: '150px' },
  result: { width: '140px' },
  duration: { width: '72px' },
  from: { width: '120px' },
});

/** The chart's entries as rows, newest first: what the keyboard and a screen reader read instead of the picture. */
export function TestHistoryTable({ entries, id }: { entries: readonly TestHistoryEntry[]; id: string }) {
  const styles = useStyles();
  const rows = [...entries].reverse();
  return (
    <Table id={id} size="extra-small" aria-label="Test history, newest first">
      <TableHeader>
        <TableRow>
          <TableHeaderCell className={styles.time}>Time</TableHeaderCell>
          <TableHeaderCell className={styles.result}>Result</TableHeaderCell>
          <TableHeaderCell className={styles.duration}>Duration</TableHeaderCell>
          <TableHeaderCell className={styles.from}>From</TableHeaderCell>
          <TableHeaderCell>Summary</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((entry, index) => (
          // Newest first and never reordered while shown: the position is a stable key.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
          <TableRow key={index} data-result={entry.ok ? 'passed' : 'failed'}>
            <TableCell className={styles.cell}>{defaultTimeFormat(entry.at)}</TableCell>
            <TableCell className={mergeClasses(styles.cell, styles.summary, !entry.ok && styles.failed)}>
              {resultWords(entry)}
            </TableCell>
            <TableCell className={styles.cell}>{formatDuration(entry.durationMs)}</TableCell>
            <TableCell className={styles.cell}>{sourceLabel[entry.source]}</TableCell>
            <TableCell className={mergeClasses(styles.cell, styles.summary)}>{entry.summary}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
