import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircleRegular,
  DismissCircleRegular,
  SubtractCircleRegular,
  WarningRegular,
} from '@fluentui/react-icons';
import type { Stage, StageStatus } from '../../../../shared/common/diagnostics/diagnosis';
import { barLabel, formatMs, statusText, type WaterfallCell } from './waterfall-rows';

// The outcome's colour role (waterfall-layout's stageColours) as Fluent tokens, so light and dark both hold.
const useStyles = makeStyles({
  cell: {
    display: 'grid',
    gridTemplateColumns: '76px minmax(40px, 1fr) 60px',
    columnGap: tokens.spacingHorizontalS,
    alignItems: 'center',
  },
  status: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXXS, whiteSpace: 'nowrap' },
  track: {
    position: 'relative',
    height: '14px',
    borderRadius: tokens.borderRadiusSmall,
    backgroundColor: tokens.colorNeutralBackground4,
  },
  bar: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    minWidth: '3px',
    borderRadius: tokens.borderRadiusSmall,
  },
  ms: { textAlign: 'end', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' },
  detail: {
    gridColumn: '2 / 4',
    color: tokens.colorNeutralForeground3,
    overflowWrap: 'anywhere',
  },
  okText: { color: tokens.colorStatusSuccessForeground1 },
  warnText: { color: tokens.colorStatusWarningForeground1 },
  failText: { color: tokens.colorStatusDangerForeground1 },
  skippedText: { color: tokens.colorNeutralForeground3 },
  okBar: { backgroundColor: tokens.colorStatusSuccessBackground3 },
  warnBar: { backgroundColor: tokens.colorStatusWarningBackground3 },
  failBar: { backgroundColor: tokens.colorStatusDangerBackground3 },
  skippedBar: { backgroundColor: tokens.colorNeutralStrokeAccessible },
  findings: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
});

function useOutcomeClasses(): { text: Record<StageStatus, string>; bar: Record<StageStatus, string> } {
  const styles = useStyles();
  return {
    text: { ok: styles.okText, warn: styles.warnText, fail: styles.failText, skipped: styles.skippedText },
    bar: { ok: styles.okBar, warn: styles.warnBar, fail: styles.failBar, skipped: styles.skippedBar },
  };
}

function StatusIcon({ status }: { status: StageStatus }) {
  switch (status) {
    case 'ok':
      return <CheckmarkCircleRegular aria-hidden />;
    case 'warn':
      return <WarningRegular aria-hidden />;
    case 'fail':
      return <DismissCircleRegular aria-hidden />;
    default:
      return <SubtractCircleRegular aria-hidden />;
  }
}

/**
 * One host's outcome of one stage: its status in words, its bar on the shared scale, its milliseconds. Where this
 * host named the stage otherwise than the row does ("TCP to the proxy …" for "TCP 443 to …"), its own name too.
 */
export function StageCell({
  cell,
  sideName,
  rowLabel,
}: {
  cell: WaterfallCell;
  sideName: string;
  rowLabel: string;
}) {
  const styles = useStyles();
  const outcome = useOutcomeClasses();
  const { bar } = cell;
  return (
    <div className={styles.cell} data-status={bar.status}>
      <Text size={200} className={mergeClasses(styles.status, outcome.text[bar.status])}>
        <StatusIcon status={bar.status} />
        {statusText[bar.status]}
      </Text>
      <div className={styles.track}>
        <div
          role="img"
          aria-label={barLabel(cell, sideName)}
          className={mergeClasses(styles.bar, outcome.bar[bar.status])}
          style={{ left: `${bar.left * 100}%`, width: `${bar.width * 100}%` }}
        />
      </div>
      <Text size={200} className={styles.ms}>
        {formatMs(bar.durationMs)}
      </Text>
      {bar.label !== rowLabel && (
        <Text size={100} className={styles.detail}>
          Ran as: {bar.label}
        </Text>
      )}
      {bar.detail && (
        <Text size={100} className={styles.detail}>
          {bar.detail}
        </Text>
      )}
    </div>
  );
}

/** What a failed or warned stage found: the typed error's sentence and its next step. */
export function StageFindings({ stage }: { stage: Stage }) {
  const styles = useStyles();
  const outcome = useOutcomeClasses();
  if (!stage.error) return null;
  return (
    <div className={styles.findings}>
      <Text size={200} weight="semibold" className={outcome.text[stage.status]}>
        {stage.error.message}
      </Text>
      {stage.error.hint && <Text size={200}>{stage.error.hint}</Text>}
    </div>
  );
}
