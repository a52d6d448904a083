import { makeStyles, tokens } from '@fluentui/react-components';
import type { TestHistoryEntry } from '../../../../shared/common/connections/test-history';
import { chartBox, layoutTestHistory } from './test-history-layout';

const useStyles = makeStyles({
  svg: { display: 'block', width: '100%', height: 'auto', overflow: 'visible' },
  grid: { stroke: tokens.colorNeutralStroke2, strokeWidth: '1px' },
  axisText: {
    fill: tokens.colorNeutralForeground3,
    fontFamily: tokens.fontFamilyBase,
    fontSize: '10px',
  },
  line: { fill: 'none', stroke: tokens.colorBrandStroke1, strokeWidth: '1.5px' },
  passed: {
    fill: tokens.colorBrandForeground1,
    stroke: tokens.colorNeutralBackground1,
    strokeWidth: '1px',
  },
  // A failure differs in shape as well as colour: a cross, not a dot.
  failed: { stroke: tokens.colorPaletteRedForeground1, strokeWidth: '2.5px', strokeLinecap: 'round' },
  hit: { fill: 'transparent', cursor: 'default' },
});

/**
 * Each test's duration, oldest at the left; a failure is a red cross. For a screen reader it is one picture with
 * a summary (the table beside it has every entry); each point's tooltip has the time, duration, source and summary.
 */
export function TestHistoryChart({
  entries,
  labelId,
}: {
  entries: readonly TestHistoryEntry[];
  labelId?: string;
}) {
  const styles = useStyles();
  const layout = layoutTestHistory(entries);
  const { width, height, left, right } = chartBox;
  return (
    <svg
      className={styles.svg}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={layout.summary}
      {...(labelId ? { 'aria-describedby': labelId } : {})}
      data-test-history-chart=""
    >
      {layout.grid.map((line) => (
        <g key={line.label}>
          <line className={styles.grid} x1={left} x2={width - right} y1={line.y} y2={line.y} />
          <text className={styles.axisText} x={left - 6} y={line.y + 3} textAnchor="end">
            {line.label}
          </text>
        </g>
      ))}
      {layout.timeLabels.map((label) => (
        <text
          key={label.anchor}
          className={styles.axisText}
          x={label.x}
          y={height - 6}
          textAnchor={label.anchor}
        >
          {label.label}
        </text>
      ))}
      <path className={styles.line} d={layout.path} />
      {layout.points.map((point, index) => (
        // Oldest first, and entries never reorder: the index is a stable key.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above.
        <g key={index} data-point={point.ok ? 'passed' : 'failed'} data-y={point.y}>
          <title>{point.title}</title>
          {point.ok ? (
            <circle className={styles.passed} cx={point.x} cy={point.y} r={4} />
          ) : (
            <path
              className={styles.failed}
              d={`M${point.x - 4} ${point.y - 4} L${point.x + 4} ${point.y + 4} M${point.x + 4} ${point.y - 4} L${point.x - 4} ${point.y + 4}`}
            />
          )}
          {/* A larger, invisible target so the tooltip is easy to reach with the mouse. */}
          <circle className={styles.hit} cx={point.x} cy={point.y} r={9} />
        </g>
      ))}
    </svg>
  );
}
