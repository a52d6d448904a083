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
  makeStyles,
  mergeClasses,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { ConnectionView } from '../../../../shared/common/connections/connection';
import { connectionDomain } from '../../../../shared/common/connections/describe-connection';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { AppErrorCode } from '../../../../shared/common/errors/error-codes';
import { usePhaseFocus } from '../../hooks/use-phase-focus';
import { runOperation } from '../../operations/run-operation';
import { useConnectionsStore } from '../../stores/connections-store';
import { useDialogsStore } from '../../stores/dialogs-store';
import { useDialogFrameStyles } from '../dialog-frame-styles';
import { ErrorBar } from '../ErrorBar';
import { DiagnosisWaterfalls } from './DiagnosisWaterfalls';
import { askAgentByDefault, canAskAgent } from './diagnose-options';
import {
  noDiagnosis,
  type ShownDiagnosis,
  shownResult,
  stagesReported,
  withLiveStage,
} from './live-diagnosis';
import { statusText } from './waterfall-rows';

const useStyles = makeStyles({
  // Wider and taller than other dialogs: two hosts' waterfalls side by side are the point of it.
  surface: { width: '1040px', maxWidth: '96vw', height: 'min(900px, calc(100vh - 32px))' },
  content: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    '& > *': { flexShrink: 0 },
  },
  status: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

type Run =
  | { phase: 'ready' }
  | { phase: 'running'; shown: ShownDiagnosis; agent: boolean; step: string | null; cancel(): void }
  | { phase: 'done'; shown: ShownDiagnosis; agent: boolean; checkedAt: string }
  | { phase: 'failed'; shown: ShownDiagnosis; agent: boolean; error: AppError };

function statusLine(run: Run): string {
  switch (run.phase) {
    case 'ready':
      return '';
    case 'running': {
      const count = stagesReported(run.shown);
      return `Diagnosing… ${count} stage${count === 1 ? '' : 's'} done${run.step ? `: ${run.step}` : ''}`;
    }
    case 'done': {
      const own = run.shown.thisComputer;
      const overall = own ? statusText[own.status].toLowerCase() : 'done';
      return `Diagnosed at ${new Date(run.checkedAt).toLocaleTimeString()}: this computer ${overall}${
        run.shown.agentHost ? `, the agent host ${statusText[run.shown.agentHost.status].toLowerCase()}` : ''
      }.`;
    }
    case 'failed':
      return run.error.code === AppErrorCode.operationCancelled
        ? 'Cancelled: the stages so far are shown.'
        : 'The diagnosis stopped.';
  }
}

/** Diagnose…: run the connection's stages, from this computer and (asked) its Remote Agent's host. */
export function DiagnoseDialog({ connectionId }: { connectionId: string }) {
  const connection = useConnectionsStore((s) => s.connections.find((c) => c.id === connectionId));
  const close = useDialogsStore((s) => s.close);
  const frame = useDialogFrameStyles();
  const styles = useStyles();
  const [run, setRun] = useState<Run>({ phase: 'ready' });
  const [askAgent, setAskAgent] = useState(() => (connection ? askAgentByDefault(connection) : false));
  const cancelRunning = useRef<(() => void) | null>(null);
  // Closing the dialog stops a run still going: nothing would show its answer.
  useEffect(() => () => cancelRunning.current?.(), []);
  const next = usePhaseFocus(run.phase, 'ready');

  const start = (target: ConnectionView) => {
    const agent = canAskAgent(target) && askAgent;
    const context = {
      kind: target.kind,
      domain: connectionDomain(target),
      startedAt: new Date().toISOString(),
    };
    const operation = runOperation('diagnostics:run', { connectionId, agent }, (progress) =>
      setRun((current) => {
        if (current.phase !== 'running') return current;
        const shown = progress.diagnosis
          ? withLiveStage(current.shown, progress.diagnosis, context)
          : current.shown;
        return { ...current, shown, step: progress.step };
      }),
    );
    cancelRunning.current = operation.cancel;
    setRun({ phase: 'running', shown: noDiagnosis, agent, step: null, cancel: operation.cancel });
    void operation.result.then((result) => {
      cancelRunning.current = null;
      setRun((current) => {
        const sofar = current.phase === 'ready' ? noDiagnosis : current.shown;
        return result.ok
          ? { phase: 'done', shown: shownResult(result.value), agent, checkedAt: result.value.checkedAt }
          : { phase: 'failed', shown: sofar, agent, error: result.error };
      });
    });
  };

  const dismiss = () => {
    cancelRunning.current?.();
    close();
  };

  const running = run.phase === 'running';
  const status = statusLine(run);
  const cancelled = run.phase === 'failed' && run.error.code === AppErrorCode.operationCancelled;

  return (
    <Dialog open onOpenChange={(_, data) => !data.open && dismiss()}>
      <DialogSurface className={mergeClasses(frame.surface, styles.surface)}>
        <DialogBody className={frame.body}>
          <DialogTitle>Diagnose {connection?.name ?? 'connection'}</DialogTitle>
          <DialogContent className={mergeClasses(frame.content, styles.content)}>
            {!connection ? (
              <Text>This connection no longer exists.</Text>
            ) : (
              <>
                {run.phase === 'ready' && (
                  <Text>
                    Runs each stage of reaching {connectionDomain(connection)} in turn, with its outcome and
                    time, so you can see where it breaks.
                  </Text>
                )}
                {canAskAgent(connection) && connection.kind === 'microsoftOnline' && (
                  <Field
                    hint={`The agent at ${connection.remoteAgent.host}:${connection.remoteAgent.port} runs the same stages with its own copy of this connection.`}
                  >
                    <Checkbox
                      label="Also diagnose from the Remote Agent host"
                      checked={askAgent}
                      disabled={running}
                      onChange={(_, data) => setAskAgent(data.checked === true)}
                    />
                  </Field>
                )}
                {status && (
                  <div className={styles.status}>
                    {running && <Spinner size="extra-tiny" aria-hidden />}
                    <Text role="status">{status}</Text>
                  </div>
                )}
                {run.phase === 'failed' && !cancelled && (
                  <ErrorBar error={run.error} title="The diagnosis could not finish." />
                )}
                {run.phase !== 'ready' && (
                  <DiagnosisWaterfalls
                    shown={run.shown}
                    kind={connection.kind}
                    agentAsked={run.agent}
                    running={running}
                  />
                )}
              </>
            )}
          </DialogContent>
          <DialogActions>
            {/* Keyed: each phase gets its own button. A reused one restyled from secondary to primary fades
                between them, and is caught (and read) mid-fade with too little contrast. */}
            {run.phase === 'running' ? (
              <Button key="cancel" ref={next} onClick={run.cancel}>
                Cancel
              </Button>
            ) : (
              <>
                {connection && (
                  <Button
                    ref={run.phase === 'ready' ? undefined : next}
                    appearance="primary"
                    onClick={() => start(connection)}
                  >
                    {run.phase === 'ready' ? 'Run' : 'Run again'}
                  </Button>
                )}
                <Button onClick={dismiss}>Close</Button>
              </>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
