import { Text } from '@fluentui/react-components';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ActiveDirectoryConnection } from '../../../../shared/common/connections/connection';
import type { TenantTestResult } from '../../../../shared/common/entra/tenant-test';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { type FieldErrors, fieldErrorsFromAppError } from '../../forms/field-errors';
import { runOperation } from '../../operations/run-operation';
import { useConnectionsStore } from '../../stores/connections-store';
import { useDialogsStore } from '../../stores/dialogs-store';
import { useSettingsStore } from '../../stores/settings-store';
import { ErrorBar } from '../ErrorBar';
import { authModeLabel, signInChannel } from '../microsoft-online/auth-modes';
import { EntraFields } from '../microsoft-online/EntraFields';
import { LocalControllerStep } from '../microsoft-online/LocalControllerStep';
import {
  cloudOf,
  fieldErrorOf,
  type MicrosoftOnlineDraft,
  newDraft,
  saveRequest,
  signInRequest,
  validateAzure,
} from '../microsoft-online/microsoft-online-draft';
import { SignInCancelled } from '../microsoft-online/SignInCancelled';
import { SignInProgress } from '../microsoft-online/SignInProgress';
import { progressed, type SignIn, startedSignIn } from '../microsoft-online/sign-in-state';
import { TenantResults } from '../microsoft-online/TenantResults';
import { WelcomeChecks } from '../microsoft-online/WelcomeChecks';
import { WizardDialog, type WizardStep } from './WizardDialog';

const steps: readonly WizardStep[] = [
  { id: 'welcome', title: 'Welcome' },
  { id: 'azure', title: 'Provide Azure AD Information' },
  { id: 'controller', title: 'Choose Local Domain Controller' },
  { id: 'results', title: 'Configuration Results' },
];
const [welcome, azure, controller, results] = [0, 1, 2, 3];

/** "Create and Test the Office 365 Connection", step names as in the legacy tool. */
export function MicrosoftOnlineWizard() {
  const close = useDialogsStore((s) => s.close);
  const openDialog = useDialogsStore((s) => s.open);
  const { connections, save, select } = useConnectionsStore();
  const settings = useSettingsStore((s) => s.settings);
  const adConnections = useMemo(
    () =>
      connections.filter(
        (c): c is ActiveDirectoryConnection & { hasPassword: boolean } => c.kind === 'activeDirectory',
      ),
    [connections],
  );
  const [step, setStep] = useState(welcome);
  const [draft, setDraft] = useState<MicrosoftOnlineDraft>(() => ({
    ...newDraft(settings),
    adConnectionId: adConnections.length === 1 ? (adConnections[0]?.id ?? '') : (adConnections[0]?.id ?? ''),
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<AppError | null>(null);
  const [cancelled, setCancelled] = useState<string | null>(null);
  const [signIn, setSignIn] = useState<SignIn | null>(null);
  const [tested, setTested] = useState<{ result: TenantTestResult; operationId: string } | null>(null);
  const [alsoCreate, setAlsoCreate] = useState<Set<string>>(new Set());
  const [saving, setSaving] = useState<string | null>(null);
  const cancelRunning = useRef<(() => void) | null>(null);
  useEffect(() => () => cancelRunning.current?.(), []);

  const update = (patch: Partial<MicrosoftOnlineDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !(key in patch))));
    // Anything that changes the sign-in makes the last result stale.
    if (Object.keys(patch).some((key) => key !== 'adConnectionId' && key !== 'dcHost')) setTested(null);
  };

  const startSignIn = () => {
    const found = validateAzure(draft);
    setErrors(found);
    setFailure(null);
    setCancelled(null);
    if (Object.keys(found).length > 0) return;
    const operation = runOperation(signInChannel(draft.authMode), signInRequest(draft), (progress) =>
      setSignIn((current) => (current ? progressed(current, progress) : current)),
    );
    cancelRunning.current = operation.cancel;
    setSignIn(startedSignIn(operation.cancel));
    void operation.result.then((result) => {
      cancelRunning.current = null;
      setSignIn(null);
      if (result.ok) {
        setTested({ result: result.value, operationId: operation.operationId });
        setAlsoCreate(new Set());
        setStep(controller);
        return;
      }
      // Not a failure: said plainly, and Next starts again.
      if (result.error.code === 'operation.cancelled') return setCancelled(result.error.message);
      const onField = fieldErrorOf(result.error) ?? fieldErrorsFromAppError(result.error);
      if (Object.keys(onField).length > 0) setErrors(onField);
      else setFailure(result.error);
    });
  };

  const next = () => {
    setFailure(null);
    if (step === azure) return tested ? setStep(controller) : startSignIn();
    setStep(Math.min(step + 1, results));
  };

  const finish = async () => {
    if (!tested) return setStep(azure);
    const domains = [draft.tenantDomain.trim().toLowerCase(), ...[...alsoCreate].sort()];
    const saved: string[] = [];
    for (const [index, domain] of domains.entries()) {
      setSaving(`Saving ${index + 1} of ${domains.length}: ${domain}…`);
      const result = await save(saveRequest(draft, domain, tested.operationId));
      if (!result.ok) {
        setSaving(null);
        // Those saved stay saved (and listed); say which one failed and why.
        setFailure({
          ...result.error,
          message: `${domain}: ${result.error.message}${saved.length > 0 ? ` (saved: ${saved.join(', ')})` : ''}`,
        });
        return;
      }
      saved.push(result.value.id);
    }
    setSaving(null);
    select(saved[0] ?? null);
    close();
  };

  const extraDomains = tested
    ? tested.result.verifiedDomains.filter((domain) => domain !== tested.result.domain)
    : [];
  const ad = adConnections.find((c) => c.id === draft.adConnectionId);

  return (
    <WizardDialog
      title="New Microsoft Online connection"
      steps={steps}
      current={step}
      busy={signIn ? 'Signing in…' : saving}
      onBack={() => setStep((s) => Math.max(welcome, s - 1))}
      onNext={next}
      onFinish={() => void finish()}
      onCancel={() => {
        cancelRunning.current?.();
        close();
      }}
    >
      {step === welcome && (
        <>
          <Text as="h3" weight="semibold">
            Welcome
          </Text>
          <Text>
            This wizard creates and tests the connection the host uses for a Microsoft 365 tenant domain. It
            checks the prerequisites now:
          </Text>
          <WelcomeChecks
            adConnections={adConnections.length}
            agent={draft.remoteAgent}
            cloud={cloudOf(draft)}
            onCreateAd={() => openDialog({ kind: 'newActiveDirectory' })}
          />
        </>
      )}
      {step === azure && (
        <>
          <EntraFields draft={draft} errors={errors} update={update} />
          {signIn && (
            <SignInProgress
              step={signIn.step}
              deviceCode={signIn.deviceCode}
              browser={signIn.browser}
              onCancel={signIn.cancel}
            />
          )}
          {cancelled && !signIn && <SignInCancelled message={cancelled} />}
          <Text size={200}>Next signs in to the tenant with these details.</Text>
        </>
      )}
      {step === controller && (
        <LocalControllerStep
          adConnections={adConnections}
          adConnectionId={draft.adConnectionId}
          dcHost={draft.dcHost}
          errors={errors}
          onChange={update}
        />
      )}
      {step === results && tested && (
        <TenantResults
          result={tested.result}
          summary={[
            ['Domain', draft.tenantDomain.trim().toLowerCase()],
            ['Authentication', authModeLabel[draft.authMode]],
            ['Local domain controller', draft.dcHost ? `${draft.dcHost} (${ad?.domain ?? ''})` : 'none'],
            ['Remote Agent', `${draft.remoteAgent.host}:${draft.remoteAgent.port}`],
          ]}
          extraDomains={extraDomains}
          alsoCreate={alsoCreate}
          onToggle={(domain, on) =>
            setAlsoCreate((current) => {
              const nextSet = new Set(current);
              if (on) nextSet.add(domain);
              else nextSet.delete(domain);
              return nextSet;
            })
          }
        />
      )}
      {failure && <ErrorBar error={failure} />}
    </WizardDialog>
  );
}
