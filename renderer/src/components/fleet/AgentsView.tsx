import { Button, makeStyles, Spinner, Text, Tooltip, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular, ServerMultipleRegular, WrenchRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { FleetStatus } from '../../../../shared/common/fleet/fleet';
import { relativeTime } from '../../format/relative-time';
import { type RepairTarget, useFleetStore } from '../../stores/fleet-store';
import { ErrorBar } from '../ErrorBar';
import { AgentsTable } from './AgentsTable';
import { DomainsTable } from './DomainsTable';
import { FleetProgress } from './FleetProgress';
import { rowsLeftOutNote } from './fleet-words';
import { RemoveRouteDialog } from './RemoveRouteDialog';
import { RepairReport } from './RepairReport';

const useStyles = makeStyles({
  panel: {
    flex: 1,
    minHeight: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  bar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL} 0`,
  },
  grow: { flex: 1 },
  muted: { color: tokens.colorNeutralForeground3 },
  scroll: {
    flex: 1,
    minHeight: 0,
    overflowY: 'auto',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: `0 ${tokens.spacingHorizontalL} ${tokens.spacingVerticalL}`,
    outlineStyle: 'none',
    ':focus-visible': { boxShadow: `inset 0 0 0 2px ${tokens.colorStrokeFocus2}` },
  },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  heading: { margin: 0 },
  empty: {
    flex: 1,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXXL,
    color: tokens.colorNeutralForeground2,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  icon: { fontSize: '48px', color: tokens.colorNeutralForeground3 },
});

function summaryOf(fleet: FleetStatus): string {
  const agents = `${fleet.agents.length} agent(s)`;
  // Every domain checked, those the table leaves out included (the note above the table says so).
  const domains = `${fleet.rows.length + (fleet.rowsTruncated ?? 0)} domain(s)`;
  const drift = fleet.driftCount === 0 ? 'all in agreement' : `${fleet.driftCount} with drift`;
  // Only routes-file agents are ever left out (connections' and Settings' come first).
  const left = fleet.truncated ? ` · ${fleet.truncated} more agent(s) in the routes file not checked` : '';
  return `${agents} · ${domains} · ${drift}${left}`;
}

/**
 * The Agents view: every Remote Agent the utility knows of, and per domain the store's, the agent's and the
 * Workflow Engine's copies side by side, with the repairs that make them agree. Checked afresh each time it opens.
 */
export function AgentsView() {
  const styles = useStyles();
  const { status, fleet, error, refreshing, progress, repairing, report, repairError } = useFleetStore();
  const { refresh, cancelRefresh, repair, dismissReport } = useFleetStore.getState();
  const [confirming, setConfirming] = useState<RepairTarget | null>(null);
  useEffect(() => {
    void useFleetStore.getState().refresh();
  }, []);

  const busy = refreshing || repairing !== null;
  // Repair all never removes a route (main asks for each by name): rows with only that leave nothing to run.
  const repairable =
    fleet?.rows.some((row) => row.repairs.some((action) => action !== 'removeRoute')) ?? false;
  // One clock for every cell on screen: the ages agree across the tables.
  const now = Date.now();
  const onRepair = (target: RepairTarget) => {
    if (target.action === 'removeRoute') setConfirming(target);
    else void repair(target);
  };
  const rowsLeftOut = fleet ? rowsLeftOutNote(fleet) : null;
  const confirmingRoute = confirming && fleet?.rows.find((row) => row.domain === confirming.domain)?.route;

  return (
    <main className={styles.panel} aria-label="Agents panel" aria-busy={busy}>
      <div className={styles.bar}>
        <Button
          icon={refreshing ? <Spinner size="extra-tiny" /> : <ArrowClockwiseRegular />}
          disabled={busy}
          onClick={() => void refresh()}
        >
          Refresh
        </Button>
        {refreshing && <Button onClick={cancelRefresh}>Cancel</Button>}
        <Tooltip
          content="Runs every repair the rows propose but Remove route, which each row asks for on its own"
          relationship="description"
        >
          <Button
            appearance="primary"
            icon={repairing === 'all' ? <Spinner size="extra-tiny" /> : <WrenchRegular />}
            disabled={busy || !repairable}
            onClick={() => void repair()}
          >
            Repair all
          </Button>
        </Tooltip>
        {fleet && (
          <Text size={200} aria-live="polite">
            {summaryOf(fleet)}
          </Text>
        )}
        <span className={styles.grow} />
        {fleet && (
          <Text size={200} className={styles.muted} title={new Date(fleet.checkedAt).toLocaleString()}>
            Checked {relativeTime(fleet.checkedAt)} · Routes file: {fleet.routesFile}
          </Text>
        )}
      </div>
      {busy && (
        <FleetProgress label={repairing ? 'Repairing…' : 'Checking the agents…'} progress={progress} />
      )}
      {error && (
        <ErrorBar
          error={error}
          title="The agents could not be checked."
          actions={
            <Button disabled={busy} onClick={() => void refresh()}>
              Retry
            </Button>
          }
        />
      )}
      {repairError && <ErrorBar error={repairError} title="The repair did not finish." />}
      {report && <RepairReport report={report} onDismiss={dismissReport} />}
      {status === 'loading' && !fleet && (
        <div className={styles.empty}>
          <Spinner label="Checking the agents…" />
        </div>
      )}
      {fleet && fleet.agents.length === 0 && fleet.rows.length === 0 && (
        <div className={styles.empty}>
          <ServerMultipleRegular className={styles.icon} aria-hidden />
          <Text as="h2" size={500} weight="semibold">
            No Remote Agents yet
          </Text>
          <Text align="center">
            Agents come from the Remote Agent of each saved Microsoft Online connection, the default one in
            Settings, and the Workflow Engine’s routes file ({fleet.routesFile}).
          </Text>
        </div>
      )}
      {fleet && (fleet.agents.length > 0 || fleet.rows.length > 0) && (
        // Focusable: with every row in agreement there is no button inside to scroll it by keyboard.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region takes focus so the keyboard can scroll it.
        <section className={styles.scroll} aria-label="Agents and domains" tabIndex={0}>
          <section className={styles.section} aria-labelledby="fleet-agents-heading">
            <Text as="h2" id="fleet-agents-heading" size={400} weight="semibold" className={styles.heading}>
              Agents
            </Text>
            <AgentsTable agents={fleet.agents} now={now} />
          </section>
          <section className={styles.section} aria-labelledby="fleet-domains-heading">
            <Text as="h2" id="fleet-domains-heading" size={400} weight="semibold" className={styles.heading}>
              Domains: store ↔ agent ↔ route
            </Text>
            {rowsLeftOut && (
              <Text size={200} data-rows-truncated={fleet.rowsTruncated}>
                {rowsLeftOut}
              </Text>
            )}
            {fleet.rows.length > 0 ? (
              <DomainsTable
                rows={fleet.rows}
                now={now}
                repairing={repairing}
                busy={busy}
                onRepair={onRepair}
              />
            ) : (
              <Text className={styles.muted}>
                No saved Microsoft Online connection that runs on an agent, and no route: nothing to compare.
              </Text>
            )}
          </section>
        </section>
      )}
      {confirming && (
        <RemoveRouteDialog
          domain={confirming.domain}
          agentUrl={confirmingRoute?.agentUrl ?? null}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void repair(confirming);
          }}
        />
      )}
    </main>
  );
}
