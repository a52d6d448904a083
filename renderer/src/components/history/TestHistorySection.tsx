import { Button, makeStyles, Spinner, Text, tokens, useId } from '@fluentui/react-components';
import { TableRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { TestHistory } from '../../../../shared/common/connections/test-history';
import { testHistoryLimit } from '../../../../shared/common/connections/test-history';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { AppErrorCode } from '../../../../shared/common/errors/error-codes';
import { invoke } from '../../bridge';
import { useConnectionsStore } from '../../stores/connections-store';
import { ErrorBar } from '../ErrorBar';
import { TestHistoryChart } from './TestHistoryChart';
import { TestHistoryTable } from './TestHistoryTable';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  legend: {
    display: 'flex',
    gap: tokens.spacingHorizontalL,
    alignItems: 'center',
    color: tokens.colorNeutralForeground3,
  },
  key: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  dot: { fill: tokens.colorBrandForeground1 },
  cross: { stroke: tokens.colorPaletteRedForeground1, strokeWidth: '2.5px', strokeLinecap: 'round' },
  toggle: { alignSelf: 'flex-start' },
});

/** `asOf`: the connection's last test when main answered, so a newer test asks again. */
type State =
  | { status: 'loading' }
  | { status: 'ready'; history: TestHistory; asOf: string }
  | { status: 'failed'; error: AppError; asOf: string };

/**
 * A connection's last test outcomes as main keeps them: a chart of durations with failures marked, and the same
 * entries as a table on request. Asked again whenever the connection's last test changes (a test from this window,
 * or from another process that the list picked up).
 */
export function TestHistorySection({ connectionId }: { connectionId: string }) {
  const styles = useStyles();
  const tableId = useId('test-history-table');
  const captionId = useId('test-history-caption');
  const [state, setState] = useState<State>({ status: 'loading' });
  const [showTable, setShowTable] = useState(false);
  const lastTest = useConnectionsStore((s) => {
    const test = s.connections.find((c) => c.id === connectionId)?.lastTest;
    return test ? `${test.at} ${test.ok}` : '';
  });

  useEffect(() => {
    let current = true;
    void invoke('connections:testHistory', { id: connectionId }).then((result) => {
      if (!current) return;
      setState(
        result.ok
          ? { status: 'ready', history: result.value, asOf: lastTest }
          : { status: 'failed', error: result.error, asOf: lastTest },
      );
    });
    return () => {
      current = false;
    };
  }, [connectionId, lastTest]);

  if (state.status === 'loading') return <Spinner size="tiny" label="Reading the test history…" />;
  if (state.status === 'failed') {
    // Deleted meanwhile: the dialog's own bar says so.
    return state.error.code === AppErrorCode.connectionsNotFound ? null : <ErrorBar error={state.error} />;
  }
  const { entries } = state.history;
  if (entries.length === 0) {
    return (
      <Text>
        No tests recorded yet. Each test of this connection (here, in the wizard, on the Remote Agent or from
        the command line) adds a point; the last {testHistoryLimit} are kept.
      </Text>
    );
  }
  const failed = entries.filter((entry) => !entry.ok).length;
  return (
    <div className={styles.section}>
      <Text id={captionId}>
        The last {entries.length === 1 ? 'test' : `${entries.length} tests`} ({failed} failed): how long each
        took, oldest at the left. Point at one for its time, source and summary.
      </Text>
      <TestHistoryChart entries={entries} labelId={captionId} />
      <div className={styles.legend} aria-hidden="true">
        <span className={styles.key}>
          <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
            <circle className={styles.dot} cx="5" cy="5" r="4" />
          </svg>
          <Text size={200}>Passed</Text>
        </span>
        <span className={styles.key}>
          <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
            <path className={styles.cross} d="M1 1 L9 9 M9 1 L1 9" />
          </svg>
          <Text size={200}>Failed</Text>
        </span>
      </div>
      <Button
        type="button"
        className={styles.toggle}
        icon={<TableRegular />}
        aria-expanded={showTable}
        aria-controls={tableId}
        onClick={() => setShowTable((shown) => !shown)}
      >
        {showTable ? 'Hide the table' : 'Show as a table'}
      </Button>
      {showTable && <TestHistoryTable entries={entries} id={tableId} />}
    </div>
  );
}
