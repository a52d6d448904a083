import {
  Badge,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { FleetAgent } from '../../../../shared/common/fleet/fleet';
import { CellText } from './CellText';
import { certificateCell, domainsCell, lastTestCell, versionCell } from './fleet-cells';
import { agentStateWords } from './fleet-words';

const useStyles = makeStyles({
  status: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalXXS,
  },
  message: { color: tokens.colorNeutralForeground2 },
  url: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
  cell: { verticalAlign: 'top', paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS },
  // The status column carries the reason and its next step: it gets the room.
  agentColumn: { width: '20%' },
  statusColumn: { width: '36%' },
  versionColumn: { width: '8%' },
  domainsColumn: { width: '14%' },
  dateColumn: { width: '11%' },
});

const sourceWords = { connection: 'a connection', route: 'a route', settings: 'Settings' } as const;

/** Every Remote Agent the utility knows of: whether it answers, and what it holds. */
export function AgentsTable({ agents, now }: { agents: FleetAgent[]; now: number }) {
  const styles = useStyles();
  return (
    <Table aria-label="Agents" size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell className={styles.agentColumn}>Agent</TableHeaderCell>
          <TableHeaderCell className={styles.statusColumn}>Status</TableHeaderCell>
          <TableHeaderCell className={styles.versionColumn}>Version</TableHeaderCell>
          <TableHeaderCell className={styles.domainsColumn}>Domains held</TableHeaderCell>
          <TableHeaderCell className={styles.dateColumn}>Last test</TableHeaderCell>
          <TableHeaderCell className={styles.dateColumn}>Certificate</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {agents.map((agent) => {
          const state = agentStateWords[agent.state];
          return (
            <TableRow key={agent.url} data-agent-state={agent.state}>
              <TableCell className={styles.cell}>
                <Text
                  className={styles.url}
                  title={`Known from ${agent.sources.map((source) => sourceWords[source]).join(', ')}`}
                >
                  {agent.url}
                </Text>
              </TableCell>
              <TableCell className={styles.cell}>
                <div className={styles.status}>
                  <Badge appearance="tint" color={state.colour}>
                    {state.text}
                  </Badge>
                  {agent.message && (
                    <Text size={200} className={styles.message}>
                      {agent.message}
                    </Text>
                  )}
                </div>
              </TableCell>
              <TableCell className={styles.cell}>
                <CellText cell={versionCell(agent)} />
              </TableCell>
              <TableCell className={styles.cell}>
                <CellText cell={domainsCell(agent)} />
              </TableCell>
              <TableCell className={styles.cell}>
                <CellText cell={lastTestCell(agent, now)} />
              </TableCell>
              <TableCell className={styles.cell}>
                <CellText cell={certificateCell(agent, now)} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
