import { Badge, Button, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { AppErrorCode } from '../../../../shared/common/errors/error-codes';
import type { ResponseOf } from '../../../../shared/common/ipc/channel-map';
import type { Result } from '../../../../shared/common/result';
import { certificateProblemOf } from './AgentCertificateCard';

export type AgentStatusState =
  | { status: 'checking' }
  | { status: 'done'; outcome: Result<ResponseOf<'agent:status'>> };

type Shown =
  | 'checking'
  | 'running'
  | 'unauthorized'
  | 'unreachable'
  | 'untrusted'
  | 'certificate changed'
  | 'insecure'
  | 'error';

const shownOfCode: Partial<Record<string, Shown>> = {
  [AppErrorCode.agentUnreachable]: 'unreachable',
  [AppErrorCode.agentUnauthorized]: 'unauthorized',
  [AppErrorCode.agentCertificateUntrusted]: 'untrusted',
  [AppErrorCode.agentCertificateChanged]: 'certificate changed',
  [AppErrorCode.agentInsecureTransport]: 'insecure',
};

export function shownStatus(state: AgentStatusState): Shown {
  if (state.status === 'checking') return 'checking';
  const { outcome } = state;
  if (outcome.ok) return outcome.value.authorized === false ? 'unauthorized' : 'running';
  return shownOfCode[outcome.error.code] ?? 'error';
}

const useStyles = makeStyles({
  line: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  hint: { color: tokens.colorNeutralForeground3 },
});

const colour = {
  checking: 'informative',
  running: 'success',
  unauthorized: 'warning',
  unreachable: 'danger',
  untrusted: 'warning',
  'certificate changed': 'danger',
  insecure: 'danger',
  error: 'danger',
} as const satisfies Record<Shown, string>;

/** Agent Status as the legacy tab showed it, with what to do when it is not running. */
export function AgentStatusLine({ state, onRefresh }: { state: AgentStatusState; onRefresh(): void }) {
  const styles = useStyles();
  const shown = shownStatus(state);
  let text = '';
  let hint = '';
  if (state.status === 'done') {
    const { outcome } = state;
    if (outcome.ok) {
      const { health, authorized, url } = outcome.value;
      text = `Version ${health.version} at ${url}, ${health.connections} connection(s)`;
      hint =
        authorized === false
          ? 'The API key was rejected: enter the key from the agent’s data folder (api-key).'
          : authorized === null
            ? 'No API key is set for this agent yet: enter it below.'
            : 'The API key is accepted.';
    } else if (certificateProblemOf(outcome.error)) {
      // The certificate card below says it all, with the fingerprints and the button: not twice.
      text = 'See its certificate below.';
    } else {
      text = outcome.error.message;
      hint = outcome.error.hint ?? '';
    }
  }
  return (
    <div role="status" aria-label="Agent Status" data-agent-status={shown}>
      <div className={styles.line}>
        <Text weight="semibold">Agent Status:</Text>
        {shown === 'checking' ? <Spinner size="extra-tiny" aria-label="Checking" /> : null}
        <Badge appearance="filled" color={colour[shown]}>
          {shown}
        </Badge>
        <Text>{text}</Text>
        <Button
          size="small"
          appearance="subtle"
          icon={<ArrowClockwiseRegular />}
          disabled={shown === 'checking'}
          onClick={onRefresh}
        >
          Refresh
        </Button>
      </div>
      {hint && (
        <Text size={200} className={styles.hint}>
          {hint}
        </Text>
      )}
    </div>
  );
}
