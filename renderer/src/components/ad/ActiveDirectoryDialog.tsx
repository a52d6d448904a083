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
  Radio,
  RadioGroup,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, PlugConnectedRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type {
  ActiveDirectoryConnection,
  DirectoryTarget,
} from '../../../../shared/common/connections/connection';
import { SaveActiveDirectoryRequestSchema } from '../../../../shared/common/connections/save-request';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { invoke } from '../../bridge';
import { type FieldErrors, fieldErrorsFromAppError, fieldErrorsFromIssues } from '../../forms/field-errors';
import { runOperation } from '../../operations/run-operation';
import { useConnectionsStore } from '../../stores/connections-store';
import { useDialogsStore } from '../../stores/dialogs-store';
import { DeletedElsewhereBar } from '../DeletedElsewhereBar';
import { useDialogFrameStyles } from '../dialog-frame-styles';
import { ErrorBar } from '../ErrorBar';
import { TestHistorySection } from '../history/TestHistorySection';
import { ControllerPicker } from './ControllerPicker';
import { TestOutcome, type TestState } from './TestOutcome';

const useStyles = makeStyles({
  surface: { width: '760px', maxWidth: '95vw' },
  body: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    minHeight: '360px',
    paddingTop: tokens.spacingVerticalM,
  },
  targets: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  target: {
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    cursor: 'default',
    outlineStyle: 'none',
  },
  selected: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    boxShadow: `inset 3px 0 0 ${tokens.colorBrandStroke1}`,
  },
  bar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
  unsaved: { color: tokens.colorNeutralForeground3 },
});

const tlsLabel = { ldaps: 'LDAPS', starttls: 'StartTLS', none: 'plaintext' } as const;

// Main's binding rules (secret-binding.ts), mirrored only to warn before Save: main decides.
const targetKey = ({ host, port, tls }: DirectoryTarget) => `${tls}://${host.toLowerCase()}:${port}`;
const pinsKey = (pins: readonly string[]) =>
  [...new Set(pins.map((pin) => pin.toUpperCase()))].sort().join(',');

/**
 * What would unbind the stored password if saved: a target main did not vouch for (saved, or picked from
 * Discover with a trusted certificate) or other pins. Removing targets narrows the destination and keeps it.
 */
function unboundBy(
  saved: { targets: readonly DirectoryTarget[]; pins: readonly string[] },
  draft: { targets: readonly DirectoryTarget[]; pins: readonly string[] },
  discovered: ReadonlySet<string>,
): 'domain controllers' | 'certificate trust' | null {
  const known = new Set(saved.targets.map(targetKey));
  if (draft.targets.some((t) => !known.has(targetKey(t)) && !discovered.has(targetKey(t)))) {
    return 'domain controllers';
  }
  return pinsKey(draft.pins) === pinsKey(saved.pins) ? null : 'certificate trust';
}

/** The edit window the legacy tool opened on double-click: General (user, password) and Connection Targets. */
export function ActiveDirectoryDialog({
  connection,
}: {
  connection: ActiveDirectoryConnection & { hasPassword: boolean };
}) {
  const styles = useStyles();
  const frame = useDialogFrameStyles();
  const close = useDialogsStore((s) => s.close);
  const save = useConnectionsStore((s) => s.save);
  const load = useConnectionsStore((s) => s.load);
  const [tab, setTab] = useState<'general' | 'targets' | 'history'>('general');
  const [name, setName] = useState(connection.name);
  const [bindUser, setBindUser] = useState(connection.bindUser);
  const [password, setPassword] = useState('');
  const [targets, setTargets] = useState<DirectoryTarget[]>(connection.targets);
  const [pins, setPins] = useState<string[]>(connection.trust.pinnedFingerprints);
  const [selected, setSelected] = useState(0);
  const [adding, setAdding] = useState({ host: '', port: '636', tls: 'ldaps' as DirectoryTarget['tls'] });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<AppError | null>(null);
  const [test, setTest] = useState<TestState>({ status: 'idle' });
  const [saving, setSaving] = useState(false);
  // Targets picked from Discover whose certificate passed the saved trust: main vouches for those itself.
  const [discovered, setDiscovered] = useState<ReadonlySet<string>>(new Set());
  // Pins "Trust this certificate" saved (keeping the password) before the store's copy is reloaded.
  const [trustedHere, setTrustedHere] = useState<string[]>([]);
  const cancelTest = useRef<(() => void) | null>(null);
  useEffect(() => () => cancelTest.current?.(), []);

  const passwordInput = useRef<HTMLInputElement>(null);
  const [passwordFocus, setPasswordFocus] = useState(0);
  useEffect(() => {
    if (passwordFocus > 0) passwordInput.current?.focus();
  }, [passwordFocus]);
  /** The next step after a failure only the password answers: the General page, its field focused. */
  const pointAtPassword = () => {
    setTab('general');
    setPasswordFocus((n) => n + 1);
  };

  const changed = unboundBy(
    { targets: connection.targets, pins: [...connection.trust.pinnedFingerprints, ...trustedHere] },
    { targets, pins },
    discovered,
  );
  const dropsPassword = connection.hasPassword && !password && changed !== null;
  const savedKeys = new Set(connection.targets.map(targetKey));

  const request = () => ({
    kind: 'activeDirectory' as const,
    id: connection.id,
    name,
    domain: connection.domain,
    targets,
    trust: { ...connection.trust, pinnedFingerprints: pins },
    bindUser,
    allowInsecure: connection.allowInsecure,
    ...(connection.dnsServer ? { dnsServer: connection.dnsServer } : {}),
    // Empty means "unchanged": the stored password is kept.
    ...(password ? { password } : {}),
  });

  const runTest = (target: DirectoryTarget, pinned: string[]) => {
    cancelTest.current?.();
    const operation = runOperation(
      'ad:test',
      {
        target,
        trust: { ...connection.trust, pinnedFingerprints: pinned },
        bindUser,
        connectionId: connection.id,
        allowInsecure: connection.allowInsecure,
        ...(password ? { password } : {}),
      },
      (progress) =>
        setTest((state) => (state.status === 'running' ? { ...state, step: progress.step } : state)),
    );
    cancelTest.current = operation.cancel;
    setTest({ status: 'running', step: 'Connecting…', cancel: operation.cancel });
    void operation.result.then((result) => {
      cancelTest.current = null;
      setTest(
        result.ok ? { status: 'passed', result: result.value } : { status: 'failed', error: result.error },
      );
      // A stored password not bound to this target (or none stored) is answered on General: go there.
      const onPassword = result.ok ? undefined : fieldErrorsFromAppError(result.error).password;
      setErrors(({ password: _previous, ...rest }) =>
        onPassword ? { ...rest, password: onPassword } : rest,
      );
      if (onPassword) pointAtPassword();
      void load();
    });
  };

  const trust = async (fingerprint: string) => {
    const result = await invoke('ad:trustCertificate', { connectionId: connection.id, fingerprint });
    if (!result.ok) return setFailure(result.error);
    const next = [...new Set([...pins, fingerprint])];
    setTrustedHere((current) => [...current, fingerprint]);
    setPins(next);
    const target = targets[selected];
    if (target) runTest(target, next);
  };

  const addTarget = (target: DirectoryTarget) => {
    if (targets.some((t) => t.host === target.host && t.port === target.port)) return;
    setTargets([...targets, target]);
    setSelected(targets.length);
  };

  const submit = async () => {
    const checked = SaveActiveDirectoryRequestSchema.safeParse(request());
    if (!checked.success) {
      const found = fieldErrorsFromIssues(checked.error.issues);
      setErrors(found);
      setTab(found.name || found.bindUser || found.password ? 'general' : 'targets');
      return;
    }
    setSaving(true);
    const result = await save(request());
    setSaving(false);
    if (result.ok) return close();
    setErrors(fieldErrorsFromAppError(result.error));
    setFailure(result.error);
  };

  const target = targets[selected];
  const passwordNote = errors.password
    ? { state: 'error' as const, message: errors.password }
    : !connection.hasPassword && !password
      ? { state: 'warning' as const, message: 'Password needed: type it to test or use this connection.' }
      : dropsPassword
        ? {
            state: 'warning' as const,
            message: `The ${changed} changed: type the password again, or saving drops the stored one.`,
          }
        : { state: 'none' as const, message: undefined };
  return (
    <Dialog open onOpenChange={(_, data) => !data.open && close()}>
      <DialogSurface className={mergeClasses(frame.surface, styles.surface)}>
        <DialogBody className={frame.body}>
          <DialogTitle>{connection.name}</DialogTitle>
          <DialogContent className={frame.content}>
            <DeletedElsewhereBar connectionId={connection.id} />
            <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as typeof tab)}>
              <Tab value="general">General</Tab>
              <Tab value="targets">Connection Targets</Tab>
              <Tab value="history">Test history</Tab>
            </TabList>
            <div
              className={styles.body}
              role="tabpanel"
              aria-label={{ general: 'General', targets: 'Connection Targets', history: 'Test history' }[tab]}
            >
              {tab === 'general' && (
                <>
                  <Field label="Connection name" validationMessage={errors.name}>
                    <Input value={name} onChange={(_, d) => setName(d.value)} />
                  </Field>
                  <Text>Domain: {connection.domain}</Text>
                  <Field label="User name" validationMessage={errors.bindUser}>
                    <Input value={bindUser} onChange={(_, d) => setBindUser(d.value)} />
                  </Field>
                  <Field
                    label="Password"
                    validationState={passwordNote.state}
                    validationMessage={passwordNote.message}
                    hint={
                      connection.hasPassword && !dropsPassword
                        ? 'Leave empty to keep the stored password; type to replace it.'
                        : undefined
                    }
                  >
                    <Input
                      ref={passwordInput}
                      type="password"
                      value={password}
                      placeholder={connection.hasPassword && !dropsPassword ? 'unchanged' : ''}
                      onChange={(_, d) => {
                        setPassword(d.value);
                        setErrors(({ password: _answered, ...rest }) => rest);
                      }}
                    />
                  </Field>
                </>
              )}
              {tab === 'targets' && (
                <>
                  <div
                    className={styles.targets}
                    role="listbox"
                    aria-label="Domain controllers of this connection"
                  >
                    {targets.map((t, index) => (
                      <div
                        key={`${t.host}:${t.port}`}
                        role="option"
                        tabIndex={0}
                        aria-selected={index === selected}
                        className={mergeClasses(styles.target, index === selected && styles.selected)}
                        onClick={() => setSelected(index)}
                        onKeyDown={(event) => event.key === 'Enter' && setSelected(index)}
                      >
                        {t.host}:{t.port} ({tlsLabel[t.tls]})
                        {!savedKeys.has(targetKey(t)) && <span className={styles.unsaved}> · not saved</span>}
                      </div>
                    ))}
                  </div>
                  <div className={styles.bar}>
                    <Button
                      appearance="primary"
                      icon={<PlugConnectedRegular />}
                      disabled={!target || test.status === 'running'}
                      onClick={() => target && runTest(target, pins)}
                    >
                      Test the connection
                    </Button>
                    <Button
                      icon={<DeleteRegular />}
                      disabled={targets.length < 2}
                      onClick={() => {
                        setTargets(targets.filter((_, index) => index !== selected));
                        setSelected(0);
                      }}
                    >
                      Remove
                    </Button>
                  </div>
                  {/* Main pins only certificates it saw at a saved target: a new one is saved first. */}
                  <TestOutcome
                    state={test}
                    {...(target && savedKeys.has(targetKey(target))
                      ? { onTrust: (fingerprint: string) => void trust(fingerprint) }
                      : {})}
                  />
                  {test.status === 'failed' &&
                    test.error.code === 'ad.tlsUntrusted' &&
                    target &&
                    !savedKeys.has(targetKey(target)) && (
                      <Text>
                        Save the connection with this domain controller (and the password), then test it again
                        to trust its certificate.
                      </Text>
                    )}
                  <div className={styles.bar}>
                    <Field label="Add a domain controller">
                      <Input
                        value={adding.host}
                        placeholder="host name or IP"
                        onChange={(_, d) => setAdding({ ...adding, host: d.value })}
                      />
                    </Field>
                    <Field label="Port">
                      <Input
                        value={adding.port}
                        style={{ width: 80 }}
                        onChange={(_, d) => setAdding({ ...adding, port: d.value })}
                      />
                    </Field>
                    <RadioGroup
                      layout="horizontal"
                      value={adding.tls}
                      aria-label="Encryption"
                      onChange={(_, d) =>
                        setAdding({
                          ...adding,
                          tls: d.value as DirectoryTarget['tls'],
                          port: d.value === 'ldaps' ? '636' : '389',
                        })
                      }
                    >
                      <Radio value="ldaps" label="LDAPS" />
                      <Radio value="starttls" label="StartTLS" />
                    </RadioGroup>
                    <Button
                      icon={<AddRegular />}
                      disabled={!adding.host.trim() || !/^\d+$/.test(adding.port)}
                      onClick={() =>
                        addTarget({
                          host: adding.host.trim().toLowerCase(),
                          port: Number(adding.port),
                          tls: adding.tls,
                        })
                      }
                    >
                      Add
                    </Button>
                  </div>
                  <ControllerPicker
                    actionLabel="Add"
                    request={{
                      domain: connection.domain,
                      ...(connection.dnsServer ? { dnsServer: connection.dnsServer } : {}),
                      tls: target?.tls ?? 'ldaps',
                      trust: { ...connection.trust, pinnedFingerprints: pins },
                      bindUser,
                      connectionId: connection.id,
                      allowInsecure: connection.allowInsecure,
                      // Nothing stored to sign in with: what the admin typed, rather than a certain ad.noPassword.
                      ...(password && !connection.hasPassword ? { password } : {}),
                      timeoutMs: 3000,
                    }}
                    onPick={(dc) => {
                      const picked = { host: dc.hostName, port: dc.port, tls: target?.tls ?? 'ldaps' };
                      if (
                        dc.certificate?.trusted &&
                        pinsKey(pins) === pinsKey(connection.trust.pinnedFingerprints)
                      ) {
                        setDiscovered((current) => new Set([...current, targetKey(picked)]));
                      }
                      addTarget(picked);
                    }}
                  />
                  {errors.host && <Text>{errors.host}</Text>}
                </>
              )}
              {tab === 'history' && <TestHistorySection connectionId={connection.id} />}
              {failure && <ErrorBar error={failure} />}
              {/* On General the field says it, unless it shows a failure: then this says it beside Save. */}
              {dropsPassword && (tab === 'targets' || errors.password) && (
                <MessageBar intent="warning" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>Saving drops the stored password</MessageBarTitle>
                    The {changed} changed, and a stored password goes only where it was saved. Type it again
                    {tab === 'targets' ? ' on General' : ''} to keep it.
                  </MessageBarBody>
                  {tab === 'targets' && (
                    <MessageBarActions>
                      <Button onClick={pointAtPassword}>Type the password</Button>
                    </MessageBarActions>
                  )}
                </MessageBar>
              )}
            </div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={saving} onClick={() => void submit()}>
              Save
            </Button>
            <Button onClick={close}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
