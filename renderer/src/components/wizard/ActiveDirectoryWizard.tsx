import {
  Field,
  Input,
  makeStyles,
  Radio,
  RadioGroup,
  Switch,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { TlsModeSchema } from '../../../../shared/common/connections/connection';
import type { DiscoveredController } from '../../../../shared/common/directory/discovery';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { type FieldErrors, fieldErrorsFromAppError } from '../../forms/field-errors';
import { runOperation } from '../../operations/run-operation';
import { useConnectionsStore } from '../../stores/connections-store';
import { useDialogsStore } from '../../stores/dialogs-store';
import { ControllerPicker } from '../ad/ControllerPicker';
import { TestOutcome, type TestState } from '../ad/TestOutcome';
import { ErrorBar } from '../ErrorBar';
import {
  type ActiveDirectoryDraft,
  defaultPort,
  newDraft,
  stepOfField,
  toRequest,
  validate,
  withPatch,
} from './active-directory-draft';
import { WizardDialog, type WizardStep } from './WizardDialog';

const steps: readonly WizardStep[] = [
  { id: 'welcome', title: 'Welcome' },
  { id: 'target', title: 'Target Information' },
  { id: 'credentials', title: 'Credentials' },
  { id: 'results', title: 'Test Results' },
];
const testStep = 3;

const useStyles = makeStyles({
  insecure: { color: tokens.colorPaletteRedForeground1 },
  row: { display: 'grid', gridTemplateColumns: '2fr 1fr', gap: tokens.spacingHorizontalM },
});

export function ActiveDirectoryWizard() {
  const styles = useStyles();
  const close = useDialogsStore((s) => s.close);
  const save = useConnectionsStore((s) => s.save);
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [test, setTest] = useState<TestState>({ status: 'idle' });
  const running = useRef<(() => void) | null>(null);
  /** The test Finish records as the connection's last test. */
  const testedBy = useRef<string | undefined>(undefined);
  const [draft, setDraft] = useState<ActiveDirectoryDraft>(newDraft);

  const update = (patch: Partial<ActiveDirectoryDraft>) => {
    setDraft((current) => withPatch(current, patch));
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !(key in patch))));
  };

  const runTest = (current: ActiveDirectoryDraft) => {
    const operation = runOperation(
      'ad:test',
      {
        target: { host: current.host, port: Number(current.port), tls: current.tls },
        trust: { pinnedFingerprints: current.pinnedFingerprints },
        bindUser: current.bindUser,
        password: current.password,
        allowInsecure: current.allowInsecure,
      },
      (progress) =>
        setTest((state) => (state.status === 'running' ? { ...state, step: progress.step } : state)),
    );
    running.current = operation.cancel;
    setTest({ status: 'running', step: 'Connecting…', cancel: operation.cancel });
    void operation.result.then((result) => {
      running.current = null;
      testedBy.current = result.ok ? operation.operationId : undefined;
      setTest(
        result.ok ? { status: 'passed', result: result.value } : { status: 'failed', error: result.error },
      );
    });
  };

  // Leaving the test step, or the wizard, stops a test that is still running.
  useEffect(() => () => running.current?.(), []);

  const goTo = (target: number, found: FieldErrors) => {
    setErrors(found);
    const bad = Object.keys(found).map((field) => stepOfField[field] ?? step);
    const next = bad.length > 0 ? Math.min(...bad, target) : target;
    setStep(next);
    if (next === testStep && target === testStep) runTest(draft);
  };

  const trust = (fingerprint: string) => {
    const next = { ...draft, pinnedFingerprints: [...new Set([...draft.pinnedFingerprints, fingerprint])] };
    setDraft(next);
    runTest(next);
  };

  const finish = async () => {
    const found = validate(draft, steps.length - 1);
    if (Object.keys(found).length > 0) return goTo(step, found);
    running.current?.();
    setBusy('Saving…');
    setFailure(null);
    const result = await save({
      ...toRequest(draft),
      ...(test.status === 'passed' && testedBy.current ? { testedBy: testedBy.current } : {}),
    });
    setBusy(null);
    if (result.ok) return close();
    const fieldErrors = fieldErrorsFromAppError(result.error);
    if (Object.keys(fieldErrors).length > 0) goTo(step, fieldErrors);
    else setFailure(result.error);
  };

  // With a custom DNS server this computer cannot resolve the DC's name later: use its address.
  const pickController = (dc: DiscoveredController) =>
    update({
      host: draft.dnsServer.trim() ? (dc.addresses[0] ?? dc.hostName) : dc.hostName,
      port: String(dc.port),
    });

  const discovery = /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(draft.domain.trim())
    ? {
        domain: draft.domain.trim(),
        ...(draft.dnsServer.trim() ? { dnsServer: draft.dnsServer.trim() } : {}),
        tls: draft.tls,
        trust: { pinnedFingerprints: draft.pinnedFingerprints },
        allowInsecure: draft.allowInsecure,
        timeoutMs: 3000,
      }
    : null;

  return (
    <WizardDialog
      title="New Microsoft Active Directory connection"
      steps={steps}
      current={step}
      busy={busy}
      onBack={() => {
        running.current?.();
        setStep((s) => Math.max(0, s - 1));
      }}
      onNext={() => goTo(step + 1, validate(draft, step))}
      onFinish={finish}
      onCancel={() => {
        running.current?.();
        close();
      }}
    >
      {step === 0 && (
        <>
          <Text as="h3" weight="semibold">
            Welcome
          </Text>
          <Text>This wizard adds a connection to an Active Directory domain. Before you start you need:</Text>
          <ul>
            <li>
              a domain controller of the domain, reachable from this computer over LDAPS (636) or StartTLS
              (389);
            </li>
            <li>
              a service account in the domain: the same name and password on every domain, password never
              expires, member of Domain Admins.
            </li>
          </ul>
        </>
      )}
      {step === 1 && (
        <>
          <Field
            label="Domain name"
            required
            validationMessage={errors.domain}
            hint="For example contoso.com"
          >
            <Input value={draft.domain} onChange={(_, d) => update({ domain: d.value })} autoFocus />
          </Field>
          <div className={styles.row}>
            <Field
              label="Domain controller"
              required
              validationMessage={errors.host}
              hint="IP address or DNS name, or Discover below"
            >
              <Input value={draft.host} onChange={(_, d) => update({ host: d.value })} />
            </Field>
            <Field label="Port" required validationMessage={errors.port}>
              <Input value={draft.port} inputMode="numeric" onChange={(_, d) => update({ port: d.value })} />
            </Field>
          </div>
          <Field
            label="DNS server (optional)"
            validationMessage={errors.dnsServer}
            hint="The domain's DNS, if this computer's resolver does not know the domain (IP[:port])"
          >
            <Input value={draft.dnsServer} onChange={(_, d) => update({ dnsServer: d.value })} />
          </Field>
          <ControllerPicker request={discovery} onPick={pickController} />
          <Field label="Enable SSL" hint="The password is only ever sent over an encrypted connection.">
            <RadioGroup
              layout="horizontal"
              value={draft.tls}
              onChange={(_, d) => {
                const tls = TlsModeSchema.parse(d.value);
                update({ tls, ...(draft.port === defaultPort[draft.tls] ? { port: defaultPort[tls] } : {}) });
              }}
            >
              <Radio value="ldaps" label="LDAPS" />
              <Radio value="starttls" label="StartTLS" />
              {draft.allowInsecure && (
                <Radio value="none" label="None (plaintext)" className={styles.insecure} />
              )}
            </RadioGroup>
          </Field>
          <Switch
            className={draft.allowInsecure ? styles.insecure : undefined}
            checked={draft.allowInsecure}
            label="Allow insecure connection (plaintext LDAP: the password crosses the network readable)"
            onChange={(_, d) =>
              update({
                allowInsecure: d.checked,
                ...(!d.checked && draft.tls === 'none' ? { tls: 'ldaps', port: defaultPort.ldaps } : {}),
              })
            }
          />
          <Field
            label="Connection name"
            validationMessage={errors.name}
            hint="Shown in the connections panel"
          >
            <Input value={draft.name} onChange={(_, d) => update({ name: d.value, nameEdited: true })} />
          </Field>
        </>
      )}
      {step === 2 && (
        <>
          <Field
            label="User name"
            required
            validationMessage={errors.bindUser}
            hint="user@domain, DOMAIN\user or a distinguished name"
          >
            <Input value={draft.bindUser} onChange={(_, d) => update({ bindUser: d.value })} autoFocus />
          </Field>
          <Field label="Password" required validationMessage={errors.password}>
            <Input
              type="password"
              value={draft.password}
              onChange={(_, d) => update({ password: d.value })}
            />
          </Field>
          <Text size={200}>
            Next tests these credentials. The password is sealed by the operating system and never shown
            again.
          </Text>
        </>
      )}
      {step === testStep && (
        <>
          <Text>
            Testing {draft.bindUser} on {draft.host}:{draft.port}. Finish adds the connection to the panel;
            Back changes anything.
          </Text>
          <TestOutcome state={test} onTrust={trust} onRetry={() => runTest(draft)} />
          {test.status === 'passed' && discovery && (
            <>
              <Text weight="semibold">Domain controllers of {draft.domain}</Text>
              <ControllerPicker
                autoStart
                request={{ ...discovery, bindUser: draft.bindUser, password: draft.password }}
                actionLabel="Use"
                onPick={pickController}
              />
            </>
          )}
        </>
      )}
      {failure && <ErrorBar error={failure} />}
    </WizardDialog>
  );
}
