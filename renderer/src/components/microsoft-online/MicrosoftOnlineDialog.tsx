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
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  mergeClasses,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { MicrosoftOnlineConnection } from '../../../../shared/common/connections/connection';
import { SaveMicrosoftOnlineRequestSchema } from '../../../../shared/common/connections/save-request';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { type FieldErrors, fieldErrorsFromAppError, fieldErrorsFromIssues } from '../../forms/field-errors';
import { useConnectionsStore } from '../../stores/connections-store';
import { useDialogsStore } from '../../stores/dialogs-store';
import { DeletedElsewhereBar } from '../DeletedElsewhereBar';
import { useDiscardGuard } from '../DiscardPrompt';
import { useDialogFrameStyles } from '../dialog-frame-styles';
import { ErrorBar } from '../ErrorBar';
import { TestHistorySection } from '../history/TestHistorySection';
import type { AgentEndpointDraft } from './agent-endpoint';
import { isInteractive, secretNoun, usesSecret, usesUser } from './auth-modes';
import { EntraFields } from './EntraFields';
import { draftOfConnection, type MicrosoftOnlineDraft, saveRequest } from './microsoft-online-draft';
import { RemoteAgentTab } from './RemoteAgentTab';
import { RenewCertificateSection } from './RenewCertificateSection';

const useStyles = makeStyles({
  surface: { width: '760px', maxWidth: '95vw' },
  body: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    minHeight: '380px',
    paddingTop: tokens.spacingVerticalM,
  },
});

type Connection = MicrosoftOnlineConnection & { hasSecret: boolean };
type TabName = 'general' | 'agent' | 'history';

const draftOf = (connection: Connection): MicrosoftOnlineDraft => draftOfConnection(connection);

const endpointOf = (connection: Connection): AgentEndpointDraft => ({
  host: connection.remoteAgent.host,
  port: String(connection.remoteAgent.port),
  useTls: connection.remoteAgent.useTls,
  allowInsecure: connection.remoteAgent.allowInsecure,
});

// What the stored secret is bound to (main's secret-binding.ts), mirrored only to warn before Save.
function signInKey(draft: MicrosoftOnlineDraft): string {
  const user = usesUser(draft.authMode);
  return JSON.stringify([
    draft.authMode,
    user ? draft.userPrincipalName.trim().toLowerCase() : '',
    user ? '' : draft.clientId.trim().toLowerCase(),
    draft.authMode === 'certificate' ? draft.certificatePem.trim() : '',
    draft.cloud,
    draft.authorityHost.trim(),
    draft.graphHost.trim(),
    draft.caPem.trim(),
  ]);
}

// The agent's origin, and Allow insecure connection once on: a stored secret crosses the network in clear
// only if it was typed again with that switch on (main's secret-binding.ts).
const agentKey = (endpoint: AgentEndpointDraft) =>
  JSON.stringify([
    endpoint.host.trim().toLowerCase(),
    Number(endpoint.port),
    endpoint.useTls,
    ...(endpoint.allowInsecure ? ['allowInsecure'] : []),
  ]);

/** The window a double-click opens: General (sign-in) and Remote Agent (push, test, route in the WE). */
export function MicrosoftOnlineDialog({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const frame = useDialogFrameStyles();
  const close = useDialogsStore((s) => s.close);
  const save = useConnectionsStore((s) => s.save);
  const refresh = useConnectionsStore((s) => s.refresh);
  const [saved, setSaved] = useState(connection);
  const [tab, setTab] = useState<TabName>('general');
  const [name, setName] = useState(connection.name);
  const [draft, setDraft] = useState<MicrosoftOnlineDraft>(() => draftOf(connection));
  const [endpoint, setEndpoint] = useState<AgentEndpointDraft>(() => endpointOf(connection));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);

  const generalDirty = name !== saved.name || JSON.stringify(draft) !== JSON.stringify(draftOf(saved));
  const agentDirty = JSON.stringify(endpoint) !== JSON.stringify(endpointOf(saved));
  const guard = useDiscardGuard(generalDirty || agentDirty, close);
  // Another sign-in or agent unbinds the stored secret: saved without it re-typed, it is dropped.
  const unbinding =
    signInKey(draft) !== signInKey(draftOf(saved))
      ? 'sign-in settings'
      : agentKey(endpoint) !== agentKey(endpointOf(saved))
        ? 'Remote Agent address'
        : null;
  const keptMode = draft.authMode === saved.authMode && usesSecret(draft.authMode);
  const dropsSecret = saved.hasSecret && keptMode && !draft.secret && unbinding !== null;
  const storedNoun = usesSecret(draft.authMode) ? secretNoun[draft.authMode] : 'secret';

  // The wizard's request, for this connection: empty secret = keep the stored one (a new mode needs its own).
  const request = () => ({
    ...saveRequest(
      {
        ...draft,
        remoteAgent: {
          host: endpoint.host,
          port: Number(endpoint.port),
          useTls: endpoint.useTls,
          allowInsecure: endpoint.allowInsecure,
        },
      },
      saved.tenantDomain,
      undefined,
      true,
    ),
    id: saved.id,
    name,
  });

  /** Saves; Save closes the window afterwards, Apply keeps it open (the agent buttons act on what is saved). */
  const submit = async (then: 'close' | 'stay') => {
    const body = request();
    const checked = SaveMicrosoftOnlineRequestSchema.safeParse(body);
    const found = checked.success ? {} : fieldErrorsFromIssues(checked.error.issues);
    if (draft.authMode !== saved.authMode && usesSecret(draft.authMode) && !draft.secret) {
      found.secret = 'a new authentication mode needs its password, secret or key';
    }
    if (Object.keys(found).length > 0) {
      setErrors(found);
      setTab(found.remoteAgent ? 'agent' : 'general');
      return;
    }
    setSaving(true);
    setFailure(null);
    const result = await save(body);
    setSaving(false);
    if (!result.ok) {
      setErrors(fieldErrorsFromAppError(result.error));
      setFailure(result.error);
      return;
    }
    if (then === 'close') return close();
    if (result.value.kind === 'microsoftOnline') {
      setSaved(result.value);
      setDraft(draftOf(result.value));
      setEndpoint(endpointOf(result.value));
    }
  };

  /** Main saved the renewed certificate: the window shows that record now, so a later Save keeps it. */
  const renewed = async () => {
    await refresh();
    const fresh = useConnectionsStore.getState().connections.find((c) => c.id === saved.id);
    if (fresh?.kind !== 'microsoftOnline') return;
    setSaved(fresh);
    setDraft(draftOf(fresh));
    setEndpoint(endpointOf(fresh));
  };

  return (
    <>
      <Dialog open onOpenChange={(_, data) => !data.open && guard.request()}>
        <DialogSurface className={mergeClasses(frame.surface, styles.surface)} aria-label={saved.name}>
          <DialogBody className={frame.body}>
            <DialogTitle>{saved.name}</DialogTitle>
            <DialogContent className={frame.content}>
              <DeletedElsewhereBar connectionId={connection.id} />
              <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabName)}>
                <Tab value="general">General</Tab>
                <Tab value="agent">Remote Agent</Tab>
                <Tab value="history">Test history</Tab>
              </TabList>
              <form
                className={styles.body}
                role="tabpanel"
                aria-label={{ general: 'General', agent: 'Remote Agent', history: 'Test history' }[tab]}
                onSubmit={(event) => {
                  event.preventDefault();
                  void submit('close');
                }}
              >
                {tab === 'general' && (
                  <>
                    <Field label="Connection name" validationMessage={errors.name}>
                      <Input value={name} onChange={(_, d) => setName(d.value)} autoFocus />
                    </Field>
                    <EntraFields
                      draft={draft}
                      errors={errors}
                      update={(patch) => setDraft((current) => ({ ...current, ...patch }))}
                      editing={{
                        hasSecret: saved.hasSecret && draft.authMode === saved.authMode,
                        unbinding: dropsSecret ? unbinding : null,
                      }}
                    />
                    {saved.authMode === 'certificate' && saved.clientId && (
                      <RenewCertificateSection
                        connectionId={saved.id}
                        name={saved.name}
                        clientId={saved.clientId}
                        domain={saved.tenantDomain}
                        expiries={saved.expiries}
                        blockedBy={
                          generalDirty || agentDirty
                            ? 'Apply or undo your changes first: the renewal starts from the saved connection.'
                            : !saved.hasSecret
                              ? 'No private key is stored to prove possession with: choose it above and Apply first.'
                              : null
                        }
                        onRenewed={() => void renewed()}
                      />
                    )}
                  </>
                )}
                {tab === 'agent' && (
                  <RemoteAgentTab
                    connectionId={saved.id}
                    domain={saved.tenantDomain}
                    interactive={isInteractive(saved.authMode)}
                    endpoint={endpoint}
                    onEndpoint={setEndpoint}
                    blockedBy={
                      generalDirty
                        ? 'Apply or undo the changes on General first: the agent gets the saved connection.'
                        : null
                    }
                    updateBlockedBy={
                      agentKey(endpoint) !== agentKey(endpointOf(saved))
                        ? 'Apply the new address first: the secret goes only to the Remote Agent saved with the connection.'
                        : agentDirty
                          ? 'Apply first: the secret goes to the Remote Agent as saved with the connection, Allow insecure connection included.'
                          : null
                    }
                    errors={{}}
                  />
                )}
                {tab === 'history' && <TestHistorySection connectionId={saved.id} />}
                {dropsSecret && tab === 'agent' && (
                  <MessageBar intent="warning" layout="multiline">
                    <MessageBarBody>
                      <MessageBarTitle>Saving drops the stored {storedNoun}</MessageBarTitle>
                      The {unbinding} changed, and a stored {storedNoun} goes only where it was saved. Enter
                      it again on General to keep it.
                    </MessageBarBody>
                    <MessageBarActions>
                      <Button onClick={() => setTab('general')}>Go to General</Button>
                    </MessageBarActions>
                  </MessageBar>
                )}
                {(generalDirty || agentDirty) && <Text size={200}>Unsaved changes.</Text>}
                {failure && <ErrorBar error={failure} />}
                <button type="submit" hidden aria-hidden tabIndex={-1} />
              </form>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={saving} onClick={() => void submit('close')}>
                Save
              </Button>
              <Button disabled={saving || !(generalDirty || agentDirty)} onClick={() => void submit('stay')}>
                Apply
              </Button>
              <Button onClick={guard.request}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      {guard.prompt}
    </>
  );
}
