import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type { DiagnosticsBundleResult } from '../../../../shared/common/diagnostics/diagnosis';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { AppErrorCode } from '../../../../shared/common/errors/error-codes';
import { usePhaseFocus } from '../../hooks/use-phase-focus';
import { runOperation } from '../../operations/run-operation';
import { useConnectionsStore } from '../../stores/connections-store';
import { useDialogsStore } from '../../stores/dialogs-store';
import { ErrorBar } from '../ErrorBar';
import { Facts } from '../Facts';
import { allLabel, bundleScope, formatBytes, type Scope } from './export-scope';

const useStyles = makeStyles({
  surface: { width: '600px', maxWidth: '95vw' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  status: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  entries: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalXL,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
  },
});

type Phase =
  | { phase: 'ready' }
  | { phase: 'running'; step: string | null; cancel(): void }
  | { phase: 'finished'; result: DiagnosticsBundleResult }
  | { phase: 'failed'; error: AppError };

/**
 * Export diagnostics…: one zip with the last diagnosis of the chosen connections (diagnosing those not yet
 * diagnosed), versions, proxy and trust settings and the log's tail, all redacted. Main asks where to save it.
 */
export function ExportDiagnosticsDialog() {
  const styles = useStyles();
  const close = useDialogsStore((s) => s.close);
  const connections = useConnectionsStore((s) => s.connections);
  const selectedId = useConnectionsStore((s) => s.selectedId);
  const selected = connections.find((c) => c.id === selectedId);
  const [scope, setScope] = useState<Scope>(selected ? 'selected' : 'all');
  const [agent, setAgent] = useState(false);
  const [state, setState] = useState<Phase>({ phase: 'ready' });
  const cancelRunning = useRef<(() => void) | null>(null);
  useEffect(() => () => cancelRunning.current?.(), []);
  const next = usePhaseFocus(state.phase, 'ready');

  const connectionIds = bundleScope(scope, connections, selectedId);
  const running = state.phase === 'running';

  const start = () => {
    if (connectionIds.length === 0) return;
    const operation = runOperation('diagnostics:exportBundle', { connectionIds, agent }, (progress) =>
      setState((current) => (current.phase === 'running' ? { ...current, step: progress.step } : current)),
    );
    cancelRunning.current = operation.cancel;
    setState({ phase: 'running', step: null, cancel: operation.cancel });
    void operation.result.then((result) => {
      cancelRunning.current = null;
      setState(
        result.ok ? { phase: 'finished', result: result.value } : { phase: 'failed', error: result.error },
      );
    });
  };

  const dismiss = () => {
    cancelRunning.current?.();
    close();
  };

  return (
    <Dialog open onOpenChange={(_, data) => !data.open && dismiss()}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>Export diagnostics</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>
              Saves one zip for support: the last diagnosis of each connection (diagnosing those not diagnosed
              yet), the versions, the proxy and trust settings and the end of the log. Passwords, secrets,
              keys and API keys are left out.
            </Text>
            <Field label="Connections">
              <RadioGroup
                value={scope}
                disabled={running}
                onChange={(_, data) => setScope(data.value === 'selected' ? 'selected' : 'all')}
              >
                <Radio
                  value="selected"
                  disabled={!selected}
                  label={selected ? `The selected connection: ${selected.name}` : 'The selected connection'}
                />
                <Radio value="all" label={allLabel(connections.length)} />
              </RadioGroup>
            </Field>
            <Checkbox
              label="Also diagnose from the Remote Agent host, for connections not diagnosed yet"
              checked={agent}
              disabled={running}
              onChange={(_, data) => setAgent(data.checked === true)}
            />
            {state.phase === 'running' && (
              <div className={styles.status}>
                <Spinner size="extra-tiny" aria-hidden />
                <Text role="status">{state.step ? `${state.step}…` : 'Preparing the bundle…'}</Text>
              </div>
            )}
            {state.phase === 'finished' && <Outcome result={state.result} />}
            {state.phase === 'failed' &&
              (state.error.code === AppErrorCode.operationCancelled ? (
                <Text role="status">Cancelled: nothing was saved.</Text>
              ) : (
                <ErrorBar error={state.error} title="The diagnostics were not saved." />
              ))}
          </DialogContent>
          <DialogActions>
            {/* Keyed: each phase gets its own button. A reused one restyled from secondary to primary fades
                between them, and is caught (and read) mid-fade with too little contrast. */}
            {state.phase === 'running' ? (
              <Button key="cancel" ref={next} onClick={state.cancel}>
                Cancel
              </Button>
            ) : state.phase === 'finished' && state.result.saved ? (
              <Button key="done" ref={next} appearance="primary" onClick={dismiss}>
                Close
              </Button>
            ) : (
              <>
                <Button
                  ref={state.phase === 'ready' ? undefined : next}
                  appearance="primary"
                  disabled={connectionIds.length === 0}
                  onClick={start}
                >
                  Export...
                </Button>
                <Button onClick={dismiss}>Close</Button>
              </>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function Outcome({ result }: { result: DiagnosticsBundleResult }) {
  const styles = useStyles();
  // What is inside is one click away: the file and its size are what the admin needs to send it.
  const [showEntries, setShowEntries] = useState(false);
  if (!result.saved) return <Text role="status">Nothing was saved: the Save dialog was closed.</Text>;
  return (
    <MessageBar intent="success" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>The diagnostics are saved.</MessageBarTitle>
        <Facts
          rows={[
            ['Saved to', result.file],
            ['Size', formatBytes(result.bytes)],
          ]}
        />
        <Button
          appearance="transparent"
          size="small"
          icon={showEntries ? <ChevronDownRegular /> : <ChevronRightRegular />}
          aria-expanded={showEntries}
          onClick={() => setShowEntries(!showEntries)}
        >
          Files inside ({result.entries.length})
        </Button>
        {showEntries && (
          <ul className={styles.entries} aria-label="Files in the bundle">
            {result.entries.map((entry) => (
              <li key={entry}>{entry}</li>
            ))}
          </ul>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
