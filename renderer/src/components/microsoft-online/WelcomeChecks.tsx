import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowClockwiseRegular,
  CheckmarkCircleFilled,
  DismissCircleFilled,
  InfoRegular,
} from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EndpointCheckResult } from '../../../../shared/common/entra/endpoint-check';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { AppErrorCode } from '../../../../shared/common/errors/error-codes';
import type { RequestOf } from '../../../../shared/common/ipc/channel-map';
import { invoke } from '../../bridge';

type State = 'checking' | 'passed' | 'failed' | 'later';

interface Check {
  id: string;
  label: string;
  state: State;
  reason: string;
}

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  item: {
    display: 'grid',
    gridTemplateColumns: '20px minmax(0, 1fr)',
    gap: tokens.spacingHorizontalS,
    alignItems: 'start',
  },
  lines: { display: 'flex', flexDirection: 'column' },
  reason: { color: tokens.colorNeutralForeground3 },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
  bar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

export interface WelcomeChecksProps {
  adConnections: number;
  /** The agent new connections use (Settings), reached as they would: Allow insecure connection included. */
  agent: { host: string; port: number; useTls: boolean; allowInsecure: boolean };
  /** The endpoints to check: the draft's cloud and hosts, without a timeout of its own. */
  cloud: Omit<RequestOf<'entra:checkEndpoints'>, 'timeoutMs'>;
  onCreateAd(): void;
}

const endpointLine = (endpoint: EndpointCheckResult['endpoints'][number]) =>
  endpoint.ok
    ? `${endpoint.url} answered over verified TLS in ${endpoint.ms} ms${endpoint.viaProxy ? ' (through the proxy)' : ''}`
    : `${endpoint.error?.message ?? 'unreachable'} ${endpoint.error?.hint ?? ''}`.trim();

/**
 * Why the agent check failed. A certificate to trust is trusted on the new connection's Remote Agent tab, with its
 * fingerprint shown there; this page has no such button, so the hint says where.
 */
function agentFailure(error: AppError): string {
  if (
    error.code === AppErrorCode.agentCertificateUntrusted ||
    error.code === AppErrorCode.agentCertificateChanged
  ) {
    return `${error.message} After Finish, open the connection's Remote Agent tab to compare its fingerprint and trust it.`;
  }
  return `${error.message} ${error.hint ?? ''}`.trim();
}

/** The legacy Welcome page's prerequisites, checked live instead of ticked by the admin. */
export function WelcomeChecks({ adConnections, agent, cloud, onCreateAd }: WelcomeChecksProps) {
  const styles = useStyles();
  const [checks, setChecks] = useState<Check[]>([]);
  const generation = useRef(0);
  const agentUrl = `${agent.useTls ? 'https' : 'http'}://${agent.host}:${agent.port}`;
  const cloudKey = JSON.stringify(cloud);

  const run = useCallback(() => {
    generation.current += 1;
    const mine = generation.current;
    const set = (id: string, patch: Partial<Check>) =>
      mine === generation.current &&
      setChecks((current) => current.map((check) => (check.id === id ? { ...check, ...patch } : check)));
    setChecks([
      {
        id: 'ad',
        label: 'An Active Directory connection exists',
        state: adConnections > 0 ? 'passed' : 'failed',
        reason:
          adConnections > 0
            ? `${adConnections} Active Directory connection(s) in the panel.`
            : 'The users who get mailboxes live in an AD domain: create its connection first.',
      },
      { id: 'agent', label: 'The Remote Agent answers', state: 'checking', reason: `Asking ${agentUrl}…` },
      { id: 'entra', label: 'Entra sign-in endpoint reachable', state: 'checking', reason: 'Connecting…' },
      { id: 'graph', label: 'Microsoft Graph endpoint reachable', state: 'checking', reason: 'Connecting…' },
      {
        id: 'role',
        label: 'The connection user holds Global Administrator',
        state: 'later',
        reason: 'Verified on the results page, after sign-in.',
      },
      {
        id: 'signedIn',
        label: 'The connection user has signed in once',
        state: 'later',
        reason: 'Verified on the results page, after sign-in.',
      },
    ]);
    void invoke('agent:status', agent).then((result) =>
      set(
        'agent',
        result.ok
          ? {
              state: 'passed',
              reason: `Remote Agent ${result.value.health.version} answers at ${result.value.url}.`,
            }
          : { state: 'failed', reason: agentFailure(result.error) },
      ),
    );
    void invoke('entra:checkEndpoints', JSON.parse(cloudKey)).then((result) => {
      if (!result.ok) {
        const reason = `${result.error.message} ${result.error.hint ?? ''}`.trim();
        set('entra', { state: 'failed', reason });
        set('graph', { state: 'failed', reason });
        return;
      }
      for (const endpoint of result.value.endpoints) {
        set(endpoint.name === 'Entra sign-in' ? 'entra' : 'graph', {
          state: endpoint.ok ? 'passed' : 'failed',
          reason: endpointLine(endpoint),
        });
      }
    });
  }, [adConnections, agent, agentUrl, cloudKey]);

  const started = useRef(false);
  useEffect(() => {
    if (!started.current) {
      started.current = true;
      run();
    }
  }, [run]);

  const failed = checks.filter((check) => check.state === 'failed');
  const checking = checks.some((check) => check.state === 'checking');
  return (
    <>
      <ul className={styles.list} aria-label="Prerequisites">
        {checks.map((check) => (
          <li key={check.id} className={styles.item} data-check={check.id} data-state={check.state}>
            {check.state === 'checking' && <Spinner size="extra-tiny" aria-label="checking" />}
            {check.state === 'passed' && <CheckmarkCircleFilled className={styles.ok} aria-label="passed" />}
            {check.state === 'failed' && <DismissCircleFilled className={styles.bad} aria-label="failed" />}
            {check.state === 'later' && <InfoRegular aria-label="checked later" />}
            <span className={styles.lines}>
              <Text weight="semibold">{check.label}</Text>
              <Text size={200} className={styles.reason}>
                {check.reason}{' '}
                {check.id === 'ad' && check.state === 'failed' && (
                  <Link as="button" onClick={onCreateAd}>
                    Create one
                  </Link>
                )}
              </Text>
            </span>
          </li>
        ))}
      </ul>
      <div className={styles.bar}>
        <Button size="small" icon={<ArrowClockwiseRegular />} disabled={checking} onClick={run}>
          Check again
        </Button>
      </div>
      {!checking && failed.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {failed.length} prerequisite(s) not met: {failed.map((check) => check.label).join('; ')}. You may
            go on if you know better, or Cancel and fix them first.
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
