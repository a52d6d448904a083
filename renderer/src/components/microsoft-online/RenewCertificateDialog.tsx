import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import {
  type RenewCertificateReport,
  RenewCertificateRequestSchema,
} from '../../../../shared/common/connections/expiry-renewal';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { usePhaseFocus } from '../../hooks/use-phase-focus';
import { runOperation } from '../../operations/run-operation';
import { ErrorBar } from '../ErrorBar';
import { Facts } from '../Facts';
import { StepChecklist } from '../progress/StepChecklist';
import {
  type Checklist,
  checklistFailed,
  checklistPosition,
  checklistSettled,
  hasFailedStep,
  stepStarted,
  unplannedChecklist,
} from '../progress/step-checklist';
import { agentLines, noAgentNote, oldCertificateLine, renewedFacts } from './renew-report';

const useStyles = makeStyles({
  surface: { width: '640px', maxWidth: '95vw' },
  // Its parts keep their height: when the report is long the content scrolls rather than squeezing them.
  content: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    '& > *': { flexShrink: 0 },
  },
  toggle: { alignSelf: 'flex-start' },
  plan: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  lines: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

type Phase =
  | { phase: 'confirm' }
  | { phase: 'running'; checklist: Checklist; cancel(): void }
  | { phase: 'done'; checklist: Checklist; report: RenewCertificateReport }
  | { phase: 'failed'; checklist: Checklist; error: AppError };

export interface RenewCertificateDialogProps {
  connectionId: string;
  name: string;
  clientId: string;
  domain: string;
  /** "expires in 9 days (1/2/2027)", when known. */
  currentExpiry: string | null;
  /** The connection was saved with the new certificate: the edit window shows it from now on. */
  onRenewed(): void;
  onClose(): void;
}

function RenewPlan({ clientId, domain }: { clientId: string; domain: string }) {
  const styles = useStyles();
  return (
    <ol className={styles.plan}>
      <li>Makes a new key pair and a certificate valid for one year.</li>
      <li>
        Registers it on the application {clientId}, proving possession with the current key: no extra
        permission is needed.
      </li>
      <li>Signs in with the new certificate. If it cannot, nothing changes.</li>
      <li>Saves it in this connection, its private key sealed.</li>
      <li>
        Gives it to the Remote Agent that holds {domain}, if this computer gave that agent the connection.
      </li>
      <li>
        Only then removes the old certificate from the application. If an agent cannot be reached, the old one
        stays registered so that agent keeps working.
      </li>
    </ol>
  );
}

function RenewReport({ report }: { report: RenewCertificateReport }) {
  const styles = useStyles();
  const agents = agentLines(report);
  const noAgent = noAgentNote(report);
  const old = oldCertificateLine(report);
  const stuck = agents.some((agent) => !agent.updated) || !old.removed;
  return (
    <>
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>The certificate is renewed.</MessageBarTitle>
          The connection signs in with the new certificate from now on.
          <Facts rows={renewedFacts(report)} />
        </MessageBarBody>
      </MessageBar>
      <MessageBar intent={stuck ? 'warning' : 'info'} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>
            {stuck ? 'Left for you to do' : 'Remote Agent and old certificate'}
          </MessageBarTitle>
          <ul className={styles.lines} aria-label="Remote Agents">
            {agents.map((agent) => (
              <li key={agent.url}>{agent.text}</li>
            ))}
            {noAgent && <li>{noAgent}</li>}
          </ul>
          <Text block>{old.text}</Text>
        </MessageBarBody>
      </MessageBar>
    </>
  );
}

/** Renew certificate: what will happen, Renew, the steps as they run, then the report. */
export function RenewCertificateDialog(props: RenewCertificateDialogProps) {
  const styles = useStyles();
  const { connectionId, name, clientId, domain, currentExpiry, onRenewed, onClose } = props;
  const [state, setState] = useState<Phase>({ phase: 'confirm' });
  const [objectId, setObjectId] = useState('');
  // The report says what matters; each step, with its time and what it found, is one click away.
  const [showSteps, setShowSteps] = useState(false);
  const objectIdValid =
    !objectId.trim() || RenewCertificateRequestSchema.shape.objectId.safeParse(objectId.trim()).success;
  const running = useRef<(() => void) | null>(null);
  useEffect(() => () => running.current?.(), []);
  const next = usePhaseFocus(state.phase, 'confirm');

  const renew = () => {
    if (!objectIdValid) return;
    const request = { connectionId, ...(objectId.trim() ? { objectId: objectId.trim() } : {}) };
    const operation = runOperation('entra:renewCertificate', request, (progress) =>
      setState((current) =>
        current.phase === 'running'
          ? { ...current, checklist: stepStarted(current.checklist, progress, performance.now()) }
          : current,
      ),
    );
    running.current = operation.cancel;
    setState({ phase: 'running', checklist: unplannedChecklist(), cancel: operation.cancel });
    void operation.result.then((result) => {
      running.current = null;
      const at = performance.now();
      setState((current) => {
        const checklist = current.phase === 'confirm' ? unplannedChecklist() : current.checklist;
        return result.ok
          ? {
              phase: 'done',
              checklist: checklistSettled(checklist, result.value.steps, at),
              report: result.value,
            }
          : {
              phase: 'failed',
              checklist: checklistFailed(checklist, at, {
                note: result.error.code === 'operation.cancelled' ? 'Cancelled' : result.error.message,
                hint: result.error.hint,
              }),
              error: result.error,
            };
      });
      if (result.ok) onRenewed();
    });
  };

  const position = state.phase === 'running' ? checklistPosition(state.checklist) : null;
  const current =
    state.phase === 'running' ? state.checklist.steps.find((step) => step.status === 'running') : undefined;

  return (
    <Dialog
      open
      modalType="alert"
      // While it runs, only Cancel stops it: Escape must not leave a renewal half seen.
      onOpenChange={(_, data) => !data.open && state.phase !== 'running' && onClose()}
    >
      <DialogSurface className={styles.surface} aria-label="Renew certificate">
        <DialogBody>
          <DialogTitle>Renew certificate</DialogTitle>
          <DialogContent className={styles.content}>
            {state.phase === 'confirm' && (
              <>
                <Text>
                  Renewing the certificate of “{name}”
                  {currentExpiry ? ` (the current one ${currentExpiry})` : ''}:
                </Text>
                <RenewPlan clientId={clientId} domain={domain} />
              </>
            )}
            {state.phase !== 'confirm' && (
              <Text role="status">
                {state.phase === 'running'
                  ? `Step ${Math.max(position?.current ?? 0, 1)} of ${Math.max(position?.total ?? 0, 1)}${current ? `: ${current.name}` : ''}`
                  : state.phase === 'done'
                    ? 'Renewed.'
                    : 'The renewal stopped.'}
              </Text>
            )}
            {state.phase === 'done' && <RenewReport report={state.report} />}
            {state.phase === 'failed' && !hasFailedStep(state.checklist) && <ErrorBar error={state.error} />}
            {(state.phase === 'confirm' || state.phase === 'failed') && (
              <Field
                label="Application object id (optional)"
                validationMessage={objectIdValid ? undefined : 'enter the object id, a GUID'}
                hint="Only for an app that may not read its own application object (no Application.Read.All): Entra admin center → App registrations → the app → Object ID."
              >
                <Input value={objectId} onChange={(_, data) => setObjectId(data.value)} />
              </Field>
            )}
            {state.phase === 'done' && (
              <Button
                appearance="transparent"
                className={styles.toggle}
                icon={showSteps ? <ChevronDownRegular /> : <ChevronRightRegular />}
                aria-expanded={showSteps}
                onClick={() => setShowSteps(!showSteps)}
              >
                Steps ({state.checklist.steps.length})
              </Button>
            )}
            {(state.phase === 'running' || state.phase === 'failed' || showSteps) &&
              state.phase !== 'confirm' && (
                <StepChecklist checklist={state.checklist} label="Renewal steps" />
              )}
          </DialogContent>
          <DialogActions>
            {state.phase === 'confirm' && (
              <>
                <Button appearance="primary" onClick={renew}>
                  Renew certificate
                </Button>
                <Button onClick={onClose}>Cancel</Button>
              </>
            )}
            {state.phase === 'running' && (
              <Button ref={next} onClick={state.cancel}>
                Cancel renewal
              </Button>
            )}
            {state.phase === 'failed' && (
              <>
                <Button ref={next} appearance="primary" onClick={renew}>
                  Try again
                </Button>
                <Button onClick={onClose}>Close</Button>
              </>
            )}
            {state.phase === 'done' && (
              <Button ref={next} appearance="primary" onClick={onClose}>
                Close
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
