import {
  Badge,
  Button,
  makeStyles,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Tooltip,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkCircleRegular, WarningRegular } from '@fluentui/react-icons';
import type { FleetRow } from '../../../../shared/common/fleet/fleet';
import type { RepairTarget } from '../../stores/fleet-store';
import { CellText } from './CellText';
import { agentCopyCell, routeCell, storeCell } from './fleet-cells';
import { driftHints, driftWords, repairWords } from './fleet-words';

const useStyles = makeStyles({
  // The row's edge repeats its verdict for a glance down the table; the badge says it in words.
  agrees: { boxShadow: `inset 3px 0 0 ${tokens.colorPaletteGreenBorder2}` },
  drifts: { boxShadow: `inset 3px 0 0 ${tokens.colorPaletteRedBorder2}` },
  domain: { fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, padding: 0, margin: 0 },
  badgeItem: { listStyleType: 'none' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  cell: { verticalAlign: 'top', paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS },
  // A badge grows to a second line in a narrow window rather than spilling its words over its edge.
  badge: { height: 'auto', minHeight: '20px', whiteSpace: 'normal', textAlign: 'start' },
  domainColumn: { width: '15%' },
  storeColumn: { width: '15%' },
  agentColumn: { width: '10%' },
  routeColumn: { width: '17%' },
  driftColumn: { width: '24%' },
  repairColumn: { width: '19%' },
});

export interface DomainsTableProps {
  rows: FleetRow[];
  now: number;
  /** The repair running, if any: its button spins, and no other repair starts meanwhile. */
  repairing: 'all' | RepairTarget | null;
  busy: boolean;
  onRepair(target: RepairTarget): void;
}

const isRunning = (repairing: DomainsTableProps['repairing'], target: RepairTarget) =>
  repairing !== null &&
  repairing !== 'all' &&
  repairing.domain === target.domain &&
  repairing.action === target.action;

/** Per domain, the three copies side by side: this computer's store, the agent's copy, the Workflow Engine route. */
export function DomainsTable({ rows, now, repairing, busy, onRepair }: DomainsTableProps) {
  const styles = useStyles();
  return (
    <Table aria-label="Domains" size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell className={styles.domainColumn}>Domain</TableHeaderCell>
          <TableHeaderCell className={styles.storeColumn}>Store</TableHeaderCell>
          <TableHeaderCell className={styles.agentColumn}>Agent</TableHeaderCell>
          <TableHeaderCell className={styles.routeColumn}>Route</TableHeaderCell>
          <TableHeaderCell className={styles.driftColumn}>Drift</TableHeaderCell>
          <TableHeaderCell className={styles.repairColumn}>Repair</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow
            key={row.domain}
            data-domain={row.domain}
            data-drift={row.drift.length === 0 ? 'none' : row.drift.join(' ')}
            className={row.drift.length === 0 ? styles.agrees : styles.drifts}
          >
            <TableCell className={styles.cell}>
              <Text className={styles.domain}>{row.domain}</Text>
            </TableCell>
            <TableCell className={styles.cell}>
              <CellText cell={storeCell(row, now)} />
            </TableCell>
            <TableCell className={styles.cell}>
              <CellText cell={agentCopyCell(row, now)} />
            </TableCell>
            <TableCell className={styles.cell}>
              <CellText cell={routeCell(row)} />
            </TableCell>
            <TableCell className={styles.cell}>
              <DriftBadges row={row} />
            </TableCell>
            <TableCell className={styles.cell}>
              <div className={styles.actions}>
                {row.repairs.map((action) => {
                  const target = { domain: row.domain, action };
                  const running = isRunning(repairing, target);
                  return (
                    <Button
                      key={action}
                      size="small"
                      aria-label={`${repairWords[action]} for ${row.domain}`}
                      disabled={busy}
                      icon={running ? <Spinner size="extra-tiny" /> : undefined}
                      onClick={() => onRepair(target)}
                    >
                      {repairWords[action]}
                    </Button>
                  );
                })}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function DriftBadges({ row }: { row: FleetRow }) {
  const styles = useStyles();
  if (row.drift.length === 0) {
    return (
      <Badge appearance="tint" color="success" icon={<CheckmarkCircleRegular />} className={styles.badge}>
        In agreement
      </Badge>
    );
  }
  return (
    <ul className={styles.badges} aria-label={`Drift of ${row.domain}`}>
      {row.drift.map((drift) => (
        <li key={drift} className={styles.badgeItem}>
          <Tooltip content={driftHints[drift]} relationship="description">
            <Badge
              appearance="tint"
              color="danger"
              icon={<WarningRegular />}
              className={styles.badge}
              data-drift-kind={drift}
            >
              {driftWords[drift]}
            </Badge>
          </Tooltip>
        </li>
      ))}
    </ul>
  );
}
