import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { useEffect, useId, useRef, useState } from 'react';
import type { SetupAppResult } from '../../../../shared/common/entra/setup-app';
import { ErrorBar } from '../ErrorBar';
import { Facts } from '../Facts';
import { StepChecklist } from '../progress/StepChecklist';
import { checklistPosition, hasFailedStep } from '../progress/step-checklist';
import { SignInPrompts } from './SignInPrompts';
import { createdSoFar, type SetupRun } from './setup-app-state';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  toggle: { alignSelf: 'flex-start' },
});

export interface SetupAppPanelProps {
  run: SetupRun;
  /** The finished setup, once it is done. */
  result: SetupAppResult | null;
  /** The saved connection, once the panel lists it. */
  connection: SetupConnection | null;
  onCancel(): void;
  onRetry(): void;
  /** Back to the page's fields (after a failure): another domain, another administrator. */
  onEdit(): void;
}

const validUntil = (timestamp: string) => new Date(timestamp).toLocaleDateString();

/** The saved connection as the panel lists it: its name, and the administrator whose roles its test checks. */
export interface SetupConnection {
  name: string;
  userPrincipalName?: string | undefined;
}

/** What the finished setup made, and what the tenant test found with it. */
export function setupSummary(result: SetupAppResult, connection: SetupConnection | null): [string, string][] {
  const { test } = result;
  // Signed in as the app, the test checks the roles of the administrator saved with the connection.
  const holder =
    test.principal.kind === 'app' ? (connection?.userPrincipalName ?? 'the administrator') : test.user;
  return [
    ['Application', result.displayName],
    ['Application (client) id', result.appId],
    ['Application object id', result.objectId],
    ['Certificate thumbprint', result.certificateThumbprint],
    ['Valid until', validUntil(result.notAfter)],
    ['Permissions', result.permissions.join(', ')],
    ['Connection', connection?.name ?? result.connectionId],
    [
      'Tenant test',
      `Passed: the app signed in to ${test.organization} (${test.tenantId}); ${holder} ${
        test.globalAdministrator ? 'holds' : 'does not hold'
      } Global Administrator`,
    ],
  ];
}

function statusLine(run: SetupRun): string {
  if (run.status === 'done') return 'Certificate sign-in is set up.';
  if (run.status === 'failed') return run.cancelled ? 'The setup was cancelled.' : 'The setup stopped.';
  const { current, total } = checklistPosition(run.checklist);
  const running = run.checklist.steps.find((step) => step.status === 'running');
  return `Step ${Math.max(current, 1)} of ${total}${running ? `: ${running.name}` : ''}`;
}

/** "Set up certificate sign-in for me" under way, stopped (Retry) or done (the summary). */
export function SetupAppPanel({ run, result, connection, onCancel, onRetry, onEdit }: SetupAppPanelProps) {
  const styles = useStyles();
  const cancel = useRef<HTMLButtonElement>(null);
  const retry = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLElement>(null);
  const headingId = useId();
  const prompts = useRef<HTMLDivElement>(null);
  // Once done, the summary matters most: the steps (with their times) stay one click away.
  const [showSteps, setShowSteps] = useState(false);
  const done = run.status === 'done' && result !== null;
  // The control that started or ended a phase is gone: the keyboard lands on what comes next, not on the page.
  useEffect(() => {
    const target = { running: cancel, failed: retry, done: heading }[run.status].current;
    if (!document.activeElement || document.activeElement === document.body) target?.focus();
  }, [run.status]);
  const shown = run.status === 'running' ? (run.browser?.url ?? run.deviceCode?.userCode) : undefined;
  useEffect(() => {
    if (shown) prompts.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);

  return (
    <section className={styles.panel} aria-labelledby={headingId}>
      <Text as="h3" weight="semibold" id={headingId} ref={heading} tabIndex={-1}>
        Setting up certificate sign-in for {run.request.domain}
      </Text>
      <Text role="status">{statusLine(run)}</Text>
      {!done && <StepChecklist checklist={run.checklist} label="Setup steps" />}
      {run.status === 'running' && (
        <>
          <div ref={prompts}>
            <SignInPrompts browser={run.browser} deviceCode={run.deviceCode} />
          </div>
          <div className={styles.actions}>
            <Button ref={cancel} onClick={onCancel}>
              Cancel setup
            </Button>
          </div>
        </>
      )}
      {run.status === 'failed' && (
        <>
          {run.cancelled ? (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>{run.error.message}</MessageBarTitle>
                {run.error.hint}
              </MessageBarBody>
            </MessageBar>
          ) : (
            // Said at its step when it has one; said here otherwise.
            !hasFailedStep(run.checklist) && <ErrorBar error={run.error} />
          )}
          <Facts rows={createdSoFar(run.error)} />
          <div className={styles.actions}>
            <Button ref={retry} appearance="primary" icon={<ArrowClockwiseRegular />} onClick={onRetry}>
              Retry
            </Button>
            <Button onClick={onEdit}>Change the details</Button>
          </div>
        </>
      )}
      {done && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The certificate connection is saved and works.</MessageBarTitle>
            <Facts rows={setupSummary(result, connection)} />
            <Text block>
              {result.resumed
                ? 'This continued the setup that had stopped: nothing was registered twice. '
                : ''}
              Next chooses the local domain controller; Finish keeps this connection (it is not saved twice).
            </Text>
          </MessageBarBody>
        </MessageBar>
      )}
      {done && (
        <>
          <Button
            appearance="transparent"
            className={styles.toggle}
            icon={showSteps ? <ChevronDownRegular /> : <ChevronRightRegular />}
            aria-expanded={showSteps}
            onClick={() => setShowSteps(!showSteps)}
          >
            Steps ({run.checklist.steps.length} done)
          </Button>
          {showSteps && <StepChecklist checklist={run.checklist} label="Setup steps" />}
        </>
      )}
    </section>
  );
}
