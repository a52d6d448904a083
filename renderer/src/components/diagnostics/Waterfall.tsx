import { Badge, Button, makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { Fragment, useId, useState } from 'react';
import type { Diagnosis } from '../../../../shared/common/diagnostics/diagnosis';
import { StageCell, StageFindings } from './StageCell';
import { formatMs, rowHasFindings, statusText, type WaterfallRow, waterfallRows } from './waterfall-rows';

const useStyles = makeStyles({
  table: { borderCollapse: 'collapse', tableLayout: 'fixed' },
  caption: { textAlign: 'start', paddingBottom: tokens.spacingVerticalXS },
  scale: { color: tokens.colorNeutralForeground3, marginLeft: tokens.spacingHorizontalM },
  column: {
    textAlign: 'start',
    verticalAlign: 'bottom',
    fontWeight: tokens.fontWeightRegular,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
  },
  columnName: { display: 'block', fontWeight: tokens.fontWeightSemibold },
  columnSummary: { display: 'block', color: tokens.colorNeutralForeground3 },
  group: {
    textAlign: 'start',
    fontWeight: tokens.fontWeightSemibold,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS} ${tokens.spacingVerticalXXS}`,
    color: tokens.colorNeutralForeground2,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  row: { borderBottom: `1px solid ${tokens.colorNeutralStroke3}` },
  // The stage both hosts disagree on: marked by a badge in words, the shade and the edge only repeat it. A
  // neutral shade: on a warning tint the outcome colours lose their contrast in the dark theme.
  differs: {
    backgroundColor: tokens.colorNeutralBackground3,
    boxShadow: `inset 4px 0 0 ${tokens.colorPaletteMarigoldBorderActive}`,
  },
  stage: {
    textAlign: 'start',
    fontWeight: tokens.fontWeightRegular,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    verticalAlign: 'top',
  },
  stageLine: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, minWidth: 0 },
  stageName: { overflowWrap: 'anywhere' },
  toggleSpace: { width: '24px', flexShrink: 0 },
  cell: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, verticalAlign: 'top' },
  findings: { padding: `0 ${tokens.spacingHorizontalS} ${tokens.spacingVerticalS}`, verticalAlign: 'top' },
  notRun: { color: tokens.colorNeutralForeground3 },
});

export interface WaterfallSide {
  /** "This computer", "Remote Agent host": the column's header and part of each bar's label. */
  name: string;
  diagnosis: Diagnosis | null;
  /** What the column says while it has no diagnosis ("Waiting for the agent host…", "Not asked"). */
  missing: string;
  /** What a cell says for a stage this side has not reported: "Waiting…" while it runs, else "Not run". */
  emptyCell: string;
}

export interface WaterfallProps {
  caption: string;
  sides: readonly WaterfallSide[];
  /** The milliseconds the full width stands for, shared with every other waterfall in the dialog. */
  scaleMs: number;
  /** The stage to highlight on every side, or null. */
  differenceId: string | null;
  /**
   * How many host columns the widest waterfall in the dialog has: a table with fewer takes only their share of
   * the width, so its tracks are as wide as the others' and the same milliseconds draw the same length.
   */
  columnsOfWidest?: number;
}

/** The stage column's share of a table as wide as the dialog, by how many host columns share the rest. */
const stageShare = (columns: number) => (columns > 1 ? 28 : 36);

/** The table's width and its stage column's width, in percent, for `sides` host columns out of `widest`. */
export function tableWidths(sides: number, widest: number): { table: number; stage: number } {
  const share = stageShare(widest);
  const table = share + ((100 - share) * sides) / Math.max(widest, sides);
  return { table, stage: (share / table) * 100 };
}

function sideSummary(side: WaterfallSide): string {
  if (!side.diagnosis) return side.missing;
  return `${statusText[side.diagnosis.status]} · ${formatMs(side.diagnosis.durationMs)}`;
}

/**
 * The stages as a table: one row per stage, one column per host, each cell a bar placed and sized on the shared
 * scale, its outcome in words beside it. A failed or warned stage unfolds to its message and hint; the
 * difference's row, or else the first failure, starts unfolded.
 */
export function Waterfall({ caption, sides, scaleMs, differenceId, columnsOfWidest }: WaterfallProps) {
  const styles = useStyles();
  const baseId = useId();
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const groups = waterfallRows(
    sides.map((side) => side.diagnosis),
    scaleMs,
    differenceId,
  );
  const rows = groups.flatMap((group) => group.rows);
  const openAtFirst =
    rows.find((row) => row.differs && rowHasFindings(row))?.id ??
    (differenceId ? undefined : rows.find(rowHasFindings)?.id);
  const expanded = (row: WaterfallRow) =>
    rowHasFindings(row) && (row.id === openAtFirst) !== toggled.has(row.id);
  const toggle = (id: string) =>
    setToggled((before) => {
      const next = new Set(before);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const columns = sides.length + 1;
  const widths = tableWidths(sides.length, columnsOfWidest ?? sides.length);

  return (
    <table className={styles.table} style={{ width: `${widths.table}%` }} data-waterfall={caption}>
      <caption className={styles.caption}>
        <Text weight="semibold">{caption}</Text>
        <Text size={200} className={styles.scale}>
          Bars share one scale: the full width is {formatMs(scaleMs)}.
        </Text>
      </caption>
      <colgroup>
        <col style={{ width: `${widths.stage}%` }} />
        {sides.map((side) => (
          <col key={side.name} />
        ))}
      </colgroup>
      <thead>
        <tr>
          <th scope="col" className={styles.column}>
            <span className={styles.columnName}>Stage</span>
          </th>
          {sides.map((side) => (
            <th key={side.name} scope="col" className={styles.column}>
              <span className={styles.columnName}>{side.name}</span>
              <span className={styles.columnSummary}>{sideSummary(side)}</span>
            </th>
          ))}
        </tr>
      </thead>
      {groups.map((group) => (
        <tbody key={group.key}>
          {group.name !== undefined && (
            <tr>
              <th scope="rowgroup" colSpan={columns} className={styles.group}>
                Domain controller {group.name}
              </th>
            </tr>
          )}
          {group.rows.map((row) => {
            const findingsId = `${baseId}-${row.id}`;
            const open = expanded(row);
            return (
              <Fragment key={row.id}>
                <tr
                  className={mergeClasses(styles.row, row.differs && styles.differs)}
                  data-stage={row.id}
                  data-differs={row.differs || undefined}
                >
                  <th scope="row" className={styles.stage}>
                    <span className={styles.stageLine}>
                      {rowHasFindings(row) ? (
                        <Button
                          appearance="subtle"
                          size="small"
                          icon={open ? <ChevronDownRegular /> : <ChevronRightRegular />}
                          aria-expanded={open}
                          aria-controls={open ? findingsId : undefined}
                          aria-label={`${open ? 'Hide' : 'Show'} what ${row.label} found`}
                          onClick={() => toggle(row.id)}
                        />
                      ) : (
                        <span className={styles.toggleSpace} />
                      )}
                      <Text className={styles.stageName}>{row.label}</Text>
                      {row.differs && (
                        <Badge appearance="filled" color="warning" size="small">
                          Differs
                        </Badge>
                      )}
                    </span>
                  </th>
                  {row.cells.map((cell, index) => {
                    const side = sides[index];
                    return (
                      <td key={side?.name ?? index} className={styles.cell}>
                        {cell && side ? (
                          <StageCell cell={cell} sideName={side.name} rowLabel={row.label} />
                        ) : (
                          <Text size={200} className={styles.notRun}>
                            {side?.emptyCell ?? 'Not run'}
                          </Text>
                        )}
                      </td>
                    );
                  })}
                </tr>
                {open && (
                  <tr
                    id={findingsId}
                    className={mergeClasses(styles.row, row.differs && styles.differs)}
                    data-findings={row.id}
                  >
                    <td className={styles.findings} />
                    {row.cells.map((cell, index) => (
                      <td key={sides[index]?.name ?? index} className={styles.findings}>
                        {cell?.stage.error && <StageFindings stage={cell.stage} />}
                      </td>
                    ))}
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}
