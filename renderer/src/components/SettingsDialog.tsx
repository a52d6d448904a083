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
  makeStyles,
  mergeClasses,
  Radio,
  RadioGroup,
  Switch,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useId, useState } from 'react';
import { isLoopbackHost } from '../../../shared/common/agent/loopback-host';
import { CloudSchema } from '../../../shared/common/connections/connection';
import type { AppError } from '../../../shared/common/errors/app-error';
import {
  type Settings,
  type SettingsSaveInput,
  SettingsSaveRequestSchema,
  type SettingsView,
} from '../../../shared/common/settings';
import { type FieldErrors, fieldErrorsFromAppError, fieldErrorsFromIssues } from '../forms/field-errors';
import { optionalField } from '../forms/optional-field';
import { useDialogsStore } from '../stores/dialogs-store';
import { useSettingsStore } from '../stores/settings-store';
import { useDiscardGuard } from './DiscardPrompt';
import { useDialogFrameStyles } from './dialog-frame-styles';
import { ErrorBar } from './ErrorBar';

const useStyles = makeStyles({
  surface: { width: '640px', maxWidth: '95vw' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'grid', gridTemplateColumns: '2fr 1fr', gap: tokens.spacingHorizontalM },
  routes: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  routesPath: { flexGrow: 1 },
  hint: { color: tokens.colorNeutralForeground3 },
});

/** Why this routes file: the admin sees which of the three sources won. */
function routesHint(settings: SettingsView): string {
  switch (settings.routesFile.source) {
    case 'environment':
      return 'Set by CU_WORKFLOW_ENGINE_ROUTES, which overrides the file chosen here.';
    case 'settings':
      return 'Chosen here; a new choice applies at once. Use default returns to workflow-engine/routes.json in the data folder.';
    default:
      return 'The default, in the data folder. Choose... picks the file your Workflow Engine reads; it applies at once.';
  }
}

interface Draft {
  agentHost: string;
  agentPort: string;
  agentTls: boolean;
  /** Not shown here (a connection's Remote Agent tab sets it); kept as it was saved. */
  agentAllowInsecure: boolean;
  cloud: Settings['microsoftOnline']['cloud'];
  authorityHost: string;
  graphHost: string;
  caPem: string;
  trustSystemStore: boolean;
}

const draftOf = (settings: SettingsView): Draft => ({
  agentHost: settings.remoteAgent.host,
  agentPort: String(settings.remoteAgent.port),
  agentTls: settings.remoteAgent.useTls,
  agentAllowInsecure: settings.remoteAgent.allowInsecure,
  cloud: settings.microsoftOnline.cloud,
  authorityHost: settings.microsoftOnline.authorityHost ?? '',
  graphHost: settings.microsoftOnline.graphHost ?? '',
  caPem: settings.microsoftOnline.caPem ?? '',
  trustSystemStore: settings.trustSystemStore,
});

function toSettings(draft: Draft): SettingsSaveInput {
  return {
    remoteAgent: {
      host: draft.agentHost,
      port: Number(draft.agentPort),
      useTls: draft.agentTls,
      allowInsecure: draft.agentAllowInsecure,
    },
    microsoftOnline: {
      cloud: draft.cloud,
      ...optionalField('authorityHost', draft.authorityHost),
      ...optionalField('graphHost', draft.graphHost),
      ...optionalField('caPem', draft.caPem),
    },
    trustSystemStore: draft.trustSystemStore,
  };
}

/**
 * Settings of this computer: where the Workflow Engine reads its routes, the Remote Agent, the cloud. The routes
 * file is only shown here: main chooses it in its own Save dialog, so the window never hands main a path.
 */
export function SettingsDialog() {
  const styles = useStyles();
  const frame = useDialogFrameStyles();
  const close = useDialogsStore((s) => s.close);
  const { settings, load, save, chooseRoutesFile, error: loadError } = useSettingsStore();
  const [draft, setDraft] = useState<Draft | null>(settings ? draftOf(settings) : null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const [routesFailure, setRoutesFailure] = useState<AppError | null>(null);
  const routesHintId = useId();
  const systemTrustHintId = useId();

  useEffect(() => {
    if (!draft) void load().then((loaded) => loaded && setDraft(draftOf(loaded)));
  }, [draft, load]);

  const dirty = Boolean(draft && settings && JSON.stringify(draft) !== JSON.stringify(draftOf(settings)));
  const guard = useDiscardGuard(dirty, close);
  const update = (patch: Partial<Draft>) =>
    setDraft((current) => (current ? { ...current, ...patch } : current));
  const plainBeyondLoopback = Boolean(
    draft &&
      !draft.agentTls &&
      !draft.agentAllowInsecure &&
      draft.agentHost.trim() !== '' &&
      !isLoopbackHost(draft.agentHost),
  );

  const submit = async () => {
    if (!draft) return;
    const request = toSettings(draft);
    const checked = SettingsSaveRequestSchema.safeParse(request);
    if (!checked.success) return setErrors(fieldErrorsFromIssues(checked.error.issues));
    setSaving(true);
    const result = await save(request);
    setSaving(false);
    if (result.ok) return close();
    setErrors(fieldErrorsFromAppError(result.error));
    setFailure(result.error);
  };

  const chooseRoutes = async (useDefault: boolean) => {
    setChoosing(true);
    setRoutesFailure(null);
    const result = await chooseRoutesFile(useDefault);
    setChoosing(false);
    if (!result.ok) setRoutesFailure(result.error);
  };

  return (
    <>
      <Dialog open onOpenChange={(_, data) => !data.open && guard.request()}>
        <DialogSurface className={mergeClasses(frame.surface, styles.surface)} aria-label="Settings">
          <DialogBody className={frame.body}>
            <DialogTitle>Settings</DialogTitle>
            <DialogContent className={mergeClasses(frame.content, styles.body)}>
              {loadError && <ErrorBar error={loadError} />}
              {draft && (
                <form
                  className={styles.body}
                  onSubmit={(event) => {
                    event.preventDefault();
                    void submit();
                  }}
                >
                  {settings && (
                    <div>
                      <div className={styles.routes}>
                        <Field label="Workflow Engine routes file" className={styles.routesPath}>
                          <Input
                            readOnly
                            value={settings.routesFile.path}
                            aria-describedby={routesHintId}
                            autoFocus
                          />
                        </Field>
                        <Button disabled={choosing} onClick={() => void chooseRoutes(false)}>
                          Choose...
                        </Button>
                        <Button
                          disabled={choosing || !settings.workflowEngineRoutesFile}
                          onClick={() => void chooseRoutes(true)}
                        >
                          Use default
                        </Button>
                      </div>
                      <Text id={routesHintId} size={200} className={styles.hint}>
                        {routesHint(settings)}
                      </Text>
                    </div>
                  )}
                  {routesFailure && (
                    <ErrorBar error={routesFailure} title="The routes file was not changed." />
                  )}
                  <div className={styles.row}>
                    <Field label="Remote Agent host" validationMessage={errors.remoteAgent}>
                      <Input value={draft.agentHost} onChange={(_, d) => update({ agentHost: d.value })} />
                    </Field>
                    <Field label="Remote Agent port">
                      <Input
                        value={draft.agentPort}
                        inputMode="numeric"
                        onChange={(_, d) => update({ agentPort: d.value })}
                      />
                    </Field>
                  </div>
                  <Field
                    validationState={plainBeyondLoopback ? 'warning' : 'none'}
                    validationMessage={
                      plainBeyondLoopback
                        ? 'Beyond this computer the agent serves HTTPS, and plain HTTP to it is refused: turn TLS on.'
                        : undefined
                    }
                  >
                    <Switch
                      checked={draft.agentTls}
                      label="The Remote Agent uses TLS (https)"
                      onChange={(_, d) => update({ agentTls: d.checked })}
                    />
                  </Field>
                  <Field label="Cloud for new Microsoft Online connections">
                    <RadioGroup
                      layout="horizontal"
                      value={draft.cloud}
                      onChange={(_, d) => update({ cloud: CloudSchema.parse(d.value) })}
                    >
                      <Radio value="global" label="Global" />
                      <Radio value="usgov" label="US Government" />
                      <Radio value="china" label="China (21Vianet)" />
                    </RadioGroup>
                  </Field>
                  <Field
                    label="Sign-in host (optional)"
                    validationMessage={errors.microsoftOnline}
                    hint="Only for a private proxy or a test emulator, e.g. https://login.example"
                  >
                    <Input
                      value={draft.authorityHost}
                      onChange={(_, d) => update({ authorityHost: d.value })}
                    />
                  </Field>
                  <Field label="Graph host (optional)">
                    <Input value={draft.graphHost} onChange={(_, d) => update({ graphHost: d.value })} />
                  </Field>
                  <Field label="Extra CA certificates (PEM, optional)" hint="For a TLS-inspecting proxy">
                    <Textarea
                      value={draft.caPem}
                      resize="vertical"
                      onChange={(_, d) => update({ caPem: d.value })}
                    />
                  </Field>
                  <div>
                    <Switch
                      checked={draft.trustSystemStore}
                      label="Trust the operating system’s certificate store"
                      aria-describedby={systemTrustHintId}
                      onChange={(_, d) => update({ trustSystemStore: d.checked })}
                    />
                    <Text id={systemTrustHintId} size={200} className={styles.hint} block>
                      {draft.trustSystemStore
                        ? 'Domain controllers, Microsoft 365 and the Remote Agent are trusted when their certificate chains to a root in this computer’s store (e.g. your enterprise CA), besides the public roots and each connection’s own CA or pinned certificate. A root added to the store counts after a restart.'
                        : 'Only the public roots and what each connection names (its CA or a pinned certificate) are trusted; an enterprise CA in this computer’s store is not.'}
                    </Text>
                  </div>
                  <button type="submit" hidden aria-hidden tabIndex={-1} />
                </form>
              )}
              {failure && <ErrorBar error={failure} />}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={!draft || saving} onClick={() => void submit()}>
                Save
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
