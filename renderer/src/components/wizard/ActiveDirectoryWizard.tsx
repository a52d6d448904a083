import {
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import {
  type ConnectionSaveRequest,
  SaveActiveDirectoryRequestSchema,
} from '../../../../shared/common/connections/save-request';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { type FieldErrors, fieldErrorsFromAppError, fieldErrorsFromIssues } from '../../forms/field-errors';
import { useConnectionsStore } from '../../stores/connections-store';
import { useDialogsStore } from '../../stores/dialogs-store';
import { WizardDialog, type WizardStep } from './WizardDialog';

const steps: readonly WizardStep[] = [
  { id: 'welcome', title: 'Welcome' },
  { id: 'target', title: 'Target Information' },
  { id: 'credentials', title: 'Credentials' },
];

/** Which step holds each field, so an error sends the admin back to the right page. */
const stepOfField: Record<string, number> = {
  name: 1,
  domain: 1,
  host: 1,
  port: 1,
  tls: 1,
  bindUser: 2,
  password: 2,
};

interface Draft {
  name: string;
  nameEdited: boolean;
  domain: string;
  host: string;
  port: string;
  tls: 'ldaps' | 'starttls';
  bindUser: string;
  password: string;
}

const defaultPort = { ldaps: '636', starttls: '389' } as const;

function toRequest(draft: Draft): ConnectionSaveRequest {
  return {
    kind: 'activeDirectory',
    name: draft.name.trim() || draft.domain.trim(),
    domain: draft.domain,
    targets: [{ host: draft.host, port: Number(draft.port), tls: draft.tls }],
    bindUser: draft.bindUser,
    password: draft.password,
  };
}

function validate(draft: Draft, upToStep: number): FieldErrors {
  const parsed = SaveActiveDirectoryRequestSchema.safeParse(toRequest(draft));
  const errors = parsed.success ? {} : fieldErrorsFromIssues(parsed.error.issues);
  if (!/^\d+$/.test(draft.port)) errors.port = 'enter a port number (636 for LDAPS, 389 for StartTLS)';
  if (!draft.password) errors.password = 'enter the service account’s password';
  return Object.fromEntries(
    Object.entries(errors).filter(([field]) => (stepOfField[field] ?? 0) <= upToStep),
  );
}

export function ActiveDirectoryWizard() {
  const close = useDialogsStore((s) => s.close);
  const save = useConnectionsStore((s) => s.save);
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [draft, setDraft] = useState<Draft>({
    name: '',
    nameEdited: false,
    domain: '',
    host: '',
    port: defaultPort.ldaps,
    tls: 'ldaps',
    bindUser: '',
    password: '',
  });

  const update = (patch: Partial<Draft>) => {
    setDraft((current) => {
      const next = { ...current, ...patch };
      if (!next.nameEdited) next.name = next.domain;
      return next;
    });
    setErrors((current) => {
      const remaining = { ...current };
      for (const key of Object.keys(patch)) delete remaining[key];
      return remaining;
    });
  };

  const goTo = (target: number, found: FieldErrors) => {
    setErrors(found);
    const firstBad = Math.min(...Object.keys(found).map((field) => stepOfField[field] ?? step));
    setStep(Number.isFinite(firstBad) ? Math.min(firstBad, target) : target);
  };

  const next = () => goTo(step + 1, validate(draft, step));

  const finish = async () => {
    const found = validate(draft, steps.length - 1);
    if (Object.keys(found).length > 0) return goTo(step, found);
    setBusy('Saving…');
    setFailure(null);
    const result = await save(toRequest(draft));
    setBusy(null);
    if (result.ok) return close();
    const fieldErrors = fieldErrorsFromAppError(result.error);
    if (Object.keys(fieldErrors).length > 0) goTo(step, fieldErrors);
    else setFailure(result.error);
  };

  return (
    <WizardDialog
      title="New Microsoft Active Directory connection"
      steps={steps}
      current={step}
      busy={busy}
      onBack={() => setStep((s) => Math.max(0, s - 1))}
      onNext={next}
      onFinish={finish}
      onCancel={close}
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
          <Field
            label="Domain controller"
            required
            validationMessage={errors.host}
            hint="IP address or DNS name"
          >
            <Input value={draft.host} onChange={(_, d) => update({ host: d.value })} />
          </Field>
          <Field label="Enable SSL" hint="An encrypted connection is required; choose how it is made.">
            <RadioGroup
              layout="horizontal"
              value={draft.tls}
              onChange={(_, d) => {
                const tls = d.value === 'starttls' ? 'starttls' : 'ldaps';
                update({ tls, ...(draft.port === defaultPort[draft.tls] ? { port: defaultPort[tls] } : {}) });
              }}
            >
              <Radio value="ldaps" label="LDAPS" />
              <Radio value="starttls" label="StartTLS" />
            </RadioGroup>
          </Field>
          <Field label="Port" required validationMessage={errors.port}>
            <Input value={draft.port} inputMode="numeric" onChange={(_, d) => update({ port: d.value })} />
          </Field>
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
          <Text size={200}>The password is sealed by the operating system and never shown again.</Text>
        </>
      )}
      {failure && (
        <MessageBar intent="error">
          <MessageBarBody>
            {failure.message} {failure.hint}
          </MessageBarBody>
        </MessageBar>
      )}
    </WizardDialog>
  );
}
