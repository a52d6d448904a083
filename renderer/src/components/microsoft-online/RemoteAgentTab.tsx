import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Switch,
  Text,
  Tooltip,
  tokens,
} from '@fluentui/react-components';
import { type ReactElement, useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../../shared/common/errors/app-error';
import type { Result } from '../../../../shared/common/result';
import { invoke } from '../../bridge';
import { Facts } from '../Facts';
import { AgentCertificateCard, certificateProblemOf } from './AgentCertificateCard';
import { AgentStatusLine, type AgentStatusState } from './AgentStatusLine';
import {
  type AgentEndpointDraft,
  addressOfOrigin,
  normalized,
  plainBeyondLoopback,
  tlsChosenIn,
  withHost,
} from './agent-endpoint';

type Outcome =
  | { status: 'running'; action: string }
  | { status: 'passed'; title: string; facts: [string, string | undefined][] }
  | { status: 'failed'; action: string; error: AppError };

const useStyles = makeStyles({
  row: {
    display: 'grid',
    gridTemplateColumns: '2fr 1fr',
    gap: tokens.spacingHorizontalM,
    alignItems: 'start',
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  running: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  key: { display: 'flex', alignItems: 'end', gap: tokens.spacingHorizontalS },
  // As the AD wizard's Allow insecure connection: red, since it lets a secret cross the network readable.
  insecure: { color: tokens.colorPaletteRedForeground1 },
});

export interface RemoteAgentTabProps {
  connectionId: string;
  domain: string;
  /** Signs in as a person (browser, device code): nothing the agent could use on its own. */
  interactive: boolean;
  endpoint: AgentEndpointDraft;
  onEndpoint(endpoint: AgentEndpointDraft): void;
  /** Why the buttons cannot act on the saved connection yet (unsaved edits on General), if so. */
  blockedBy: string | null;
  /** Why Update Remote Agent cannot run yet: the secret goes only to the saved agent, not the draft's. */
  updateBlockedBy?: string | null;
  errors: { host?: string; port?: string };
}

/** The Remote Agent tab: where the agent is, its status, and the three steps that hand it the connection. */
export function RemoteAgentTab(props: RemoteAgentTabProps) {
  const { connectionId, domain, endpoint, onEndpoint, blockedBy, errors } = props;
  const styles = useStyles();
  const [status, setStatus] = useState<AgentStatusState>({ status: 'checking' });
  const [apiKey, setApiKey] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const port = Number(endpoint.port);
  const valid = endpoint.host.trim() !== '' && Number.isInteger(port) && port > 0 && port < 65536;
  const target = {
    host: endpoint.host.trim(),
    port,
    useTls: endpoint.useTls,
    allowInsecure: endpoint.allowInsecure,
  };
  const agentUrl = `${endpoint.useTls ? 'https' : 'http'}://${target.host}:${port}`;
  const targetKey = JSON.stringify(target);
  const plain = plainBeyondLoopback(endpoint);
  // Once the admin sets TLS themselves (or the connection was saved against the host's default), it stays put.
  const tlsChosen = useRef(tlsChosenIn(endpoint));

  const generation = useRef(0);
  const refresh = useCallback(
    async (typedKey?: string) => {
      generation.current += 1;
      const mine = generation.current;
      setStatus({ status: 'checking' });
      const outcomeOf = await invoke('agent:status', {
        ...JSON.parse(targetKey),
        ...(typedKey ? { apiKey: typedKey } : {}),
      });
      if (mine === generation.current) setStatus({ status: 'done', outcome: outcomeOf });
    },
    [targetKey],
  );
  useEffect(() => {
    if (valid) void refresh();
  }, [refresh, valid]);

  const keyKnown =
    status.status === 'done' && status.outcome.ok ? status.outcome.value.authorized !== null : null;
  const noKey = keyKnown === false;

  const act = async <T,>(
    action: string,
    call: () => Promise<Result<T>>,
    passed: (value: T) => { title: string; facts: [string, string | undefined][] },
  ) => {
    setOutcome({ status: 'running', action });
    const result = await call();
    setOutcome(
      result.ok
        ? { status: 'passed', ...passed(result.value) }
        : { status: 'failed', action, error: result.error },
    );
    // The agent's connection count, or its failure, changed what Agent Status should say.
    if (result.ok || result.error.code.startsWith('agent.')) void refresh();
  };

  // The test carries no stored secret, so it may try the draft's agent; the update always goes to the saved one.
  const request = { connectionId, endpoint: target };
  const busy = outcome?.status === 'running';
  const transportBlock = !valid
    ? 'Enter the agent’s host and port first.'
    : plain && !endpoint.allowInsecure
      ? 'Plain HTTP to a Remote Agent on another computer is refused: turn on Use TLS (https), or Allow insecure connection.'
      : null;
  const agentBlock = blockedBy ?? transportBlock ?? (noKey ? 'Enter the agent’s API key first.' : null);
  const updateBlock =
    agentBlock ??
    props.updateBlockedBy ??
    (props.interactive
      ? 'A browser or device-code sign-in needs a person, so it cannot run unattended on the agent: use a certificate or a client secret.'
      : null);

  // First contact or a changed certificate: what Agent Status found, else what Update or Test ran into.
  const problem =
    (status.status === 'done' && !status.outcome.ok ? certificateProblemOf(status.outcome.error) : null) ??
    (outcome?.status === 'failed' ? certificateProblemOf(outcome.error) : null);
  const trust = async (fingerprint: string) => {
    const address = addressOfOrigin(String(problem?.detail?.url ?? '')) ?? {
      host: target.host,
      port: target.port,
    };
    const result = await invoke('agent:trustCertificate', { ...address, fingerprint });
    if (result.ok) {
      if (outcome?.status === 'failed' && certificateProblemOf(outcome.error)) setOutcome(null);
      void refresh();
    }
    return result;
  };

  const withTip = (block: string | null, button: ReactElement) =>
    block ? (
      <Tooltip content={block} relationship="description">
        {button}
      </Tooltip>
    ) : (
      button
    );

  return (
    <>
      <div className={styles.row}>
        <Field
          label="Host"
          validationMessage={errors.host}
          hint="The host running the Remote Agent (this computer by default)"
        >
          <Input
            value={endpoint.host}
            onChange={(_, d) => onEndpoint(withHost(endpoint, d.value, tlsChosen.current))}
            autoFocus
          />
        </Field>
        <Field label="Port" validationMessage={errors.port}>
          <Input
            value={endpoint.port}
            inputMode="numeric"
            onChange={(_, d) => onEndpoint({ ...endpoint, port: d.value })}
          />
        </Field>
      </div>
      <Switch
        checked={endpoint.useTls}
        label="Use TLS (https)"
        onChange={(_, d) => {
          tlsChosen.current = true;
          onEndpoint(normalized({ ...endpoint, useTls: d.checked }));
        }}
      />
      {plain && (
        <Field
          validationState="warning"
          validationMessage={
            endpoint.allowInsecure
              ? 'The API key and the connection’s secret cross the network readable by anyone on the way: only on a network you trust.'
              : 'Plain HTTP to another computer is refused, as the API key would cross the network readable: turn on Use TLS (https).'
          }
        >
          <Switch
            className={styles.insecure}
            checked={endpoint.allowInsecure}
            label={{ children: 'Allow insecure connection', className: styles.insecure }}
            onChange={(_, d) => onEndpoint({ ...endpoint, allowInsecure: d.checked })}
          />
        </Field>
      )}
      <div className={styles.key}>
        <Field
          label="API key"
          hint={
            keyKnown
              ? 'A key is stored (sealed) for this agent; type a new one to change it.'
              : 'From the agent’s data folder (api-key); stored sealed, never shown.'
          }
        >
          <Input type="password" value={apiKey} onChange={(_, d) => setApiKey(d.value)} />
        </Field>
        <Button
          disabled={!apiKey || !valid}
          onClick={() => {
            const typed = apiKey;
            setApiKey('');
            void refresh(typed);
          }}
        >
          {keyKnown ? 'Change' : 'Set'}
        </Button>
      </div>
      <AgentStatusLine state={status} onRefresh={() => void refresh()} />
      {problem && (
        <AgentCertificateCard
          key={`${problem.code} ${String(problem.detail?.url)} ${String(problem.detail?.fingerprint)}`}
          problem={problem}
          onTrust={trust}
        />
      )}
      <div className={styles.actions}>
        {withTip(
          updateBlock,
          <Button
            appearance="primary"
            disabled={busy}
            disabledFocusable={Boolean(updateBlock)}
            onClick={() =>
              void act(
                '1. Update Remote Agent',
                () => invoke('agent:update', { connectionId }),
                (saved) => ({
                  title: `The Remote Agent now has the connection for ${saved.domain}.`,
                  facts: [
                    ['Agent', agentUrl],
                    ['Authentication', saved.authMode],
                    ['Updated', saved.updatedAt],
                  ],
                }),
              )
            }
          >
            1. Update Remote Agent
          </Button>,
        )}
        {withTip(
          agentBlock,
          <Button
            appearance="primary"
            disabled={busy}
            disabledFocusable={Boolean(agentBlock)}
            onClick={() =>
              void act(
                '2. Test AAD Connection',
                () => invoke('agent:test', request),
                (test) => ({
                  title: `The Remote Agent signed in to ${test.organization}.`,
                  facts: [
                    ['ID', test.id],
                    ['Domain', `${test.domain}${test.domainVerified ? ' (verified)' : ' (NOT verified)'}`],
                    ['User', test.user],
                    ['Roles', test.roles.join(', ') || 'none'],
                    ['Global Administrator', test.globalAdministrator ? 'yes' : 'no'],
                    ['Time', `${test.durationMs} ms`],
                  ],
                }),
              )
            }
          >
            2. Test AAD Connection
          </Button>,
        )}
        {withTip(
          blockedBy ?? transportBlock,
          <Button
            disabled={busy}
            disabledFocusable={Boolean(blockedBy ?? transportBlock)}
            onClick={() =>
              void act(
                'Update Agent in WE',
                () => invoke('we:register', { domain, agentUrl, connectionId }),
                (done) => ({
                  title: `The Workflow Engine now passes ${done.domain} to ${done.route.agentUrl}.`,
                  facts: [
                    ['File', done.routesFile],
                    ['Entry', `"${done.domain}": ${JSON.stringify(done.route)}`],
                    ['Replaced', done.previous ? done.previous.agentUrl : 'nothing (new route)'],
                    ['Routes in file', String(done.routeCount)],
                  ],
                }),
              )
            }
          >
            Update Agent in WE
          </Button>,
        )}
      </div>
      {outcome?.status === 'running' && (
        <div className={styles.running} role="status">
          <Spinner size="tiny" aria-label="Working" />
          <Text>{outcome.action}…</Text>
        </div>
      )}
      {outcome?.status === 'passed' && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{outcome.title}</MessageBarTitle>
            <Facts rows={outcome.facts} />
          </MessageBarBody>
        </MessageBar>
      )}
      {outcome?.status === 'failed' && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {outcome.action} failed: {outcome.error.message}
            </MessageBarTitle>
            {outcome.error.hint}
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
