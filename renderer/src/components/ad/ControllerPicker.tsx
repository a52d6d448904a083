import {
  Button,
  MessageBar,
  MessageBarBody,
  makeStyles,
  mergeClasses,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowClockwiseRegular,
  CheckmarkCircleRegular,
  DismissCircleRegular,
  SearchRegular,
} from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type {
  DiscoveredController,
  DiscoverRequest,
  DiscoverResult,
} from '../../../../shared/common/directory/discovery';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { runOperation } from '../../operations/run-operation';
import { ErrorBar } from '../ErrorBar';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  bar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
  },
  row: {
    display: 'grid',
    gridTemplateColumns: '20px minmax(0, 1fr) auto',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  // Greyed, yet readable: the disabled token fails WCAG contrast for text the admin must read (the reason).
  dead: { color: tokens.colorNeutralForeground3 },
  lines: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
});

export interface ControllerPickerProps {
  /** What to discover; null while the form does not yet say enough (no domain). */
  request: Omit<DiscoverRequest, 'operationId'> | null;
  onPick(controller: DiscoveredController): void;
  actionLabel?: string;
  /** Discover as soon as it is shown (the wizard's Test Results page). */
  autoStart?: boolean;
}

/** Discover, then pick: the DCs ranked by reachability, site and latency; unreachable ones greyed with why. */
export function ControllerPicker({
  request,
  onPick,
  actionLabel = 'Use',
  autoStart = false,
}: ControllerPickerProps) {
  const styles = useStyles();
  const [running, setRunning] = useState<{ step: string; cancel(): void } | null>(null);
  const [result, setResult] = useState<DiscoverResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const generation = useRef(0);

  const discover = async () => {
    if (!request) return;
    generation.current += 1;
    const mine = generation.current;
    setError(null);
    const operation = runOperation('ad:discoverControllers', request, (progress) =>
      setRunning((current) => (current ? { ...current, step: progress.step } : current)),
    );
    setRunning({ step: 'Looking up domain controllers…', cancel: operation.cancel });
    const outcome = await operation.result;
    if (mine !== generation.current) return;
    setRunning(null);
    if (outcome.ok) setResult(outcome.value);
    else setError(outcome.error);
  };

  const started = useRef(false);
  useEffect(() => {
    if (autoStart && !started.current) {
      started.current = true;
      void discover();
    }
  });

  return (
    <div className={styles.box}>
      <div className={styles.bar}>
        <Button
          icon={result ? <ArrowClockwiseRegular /> : <SearchRegular />}
          disabled={!request || Boolean(running)}
          onClick={() => void discover()}
        >
          {result ? 'Refresh' : 'Discover'}
        </Button>
        {running && (
          <>
            <Spinner size="tiny" aria-label="Working" />
            <Text role="status">{running.step}</Text>
            <Button size="small" onClick={running.cancel}>
              Cancel
            </Button>
          </>
        )}
        {result && !running && (
          <Text size={200}>
            {result.controllers.length} found in {result.elapsedMs} ms
          </Text>
        )}
      </div>
      {error && <ErrorBar error={error} />}
      {result?.warnings.map((warning) => (
        <MessageBar key={warning.code + warning.message} intent="warning">
          <MessageBarBody>{warning.message}</MessageBarBody>
        </MessageBar>
      ))}
      {result && result.controllers.length > 0 && (
        <ul className={styles.list} aria-label="Domain controllers">
          {result.controllers.map((dc) => (
            <li
              key={dc.hostName}
              className={mergeClasses(styles.row, !dc.reachable && styles.dead)}
              aria-label={dc.hostName}
            >
              {dc.reachable ? (
                <CheckmarkCircleRegular className={styles.ok} aria-label="reachable" />
              ) : (
                <DismissCircleRegular className={styles.bad} aria-label="unreachable" />
              )}
              <span className={styles.lines}>
                <Text weight="semibold">
                  {dc.hostName} · {dc.site ?? 'unknown site'}
                  {dc.globalCatalog ? ' · global catalog' : ''}
                </Text>
                <Text size={200} className={dc.reachable ? styles.muted : undefined}>
                  {dc.reachable
                    ? `${dc.addresses.join(', ') || dc.hostName} · ${dc.latencyMs} ms${dc.certificate && !dc.certificate.trusted ? ' · certificate not trusted yet' : ''}`
                    : (dc.error?.message ?? 'unreachable')}
                </Text>
              </span>
              <Button
                size="small"
                disabled={!dc.reachable}
                onClick={() => onPick(dc)}
                aria-label={`${actionLabel} ${dc.hostName}`}
              >
                {actionLabel}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
