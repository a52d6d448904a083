import { Text } from '@fluentui/react-components';
import { useEffect, useMemo, useRef, useState } from 'react';
import type {
  ActiveDirectoryConnection,
  MicrosoftOnlineConnection,
} from '../../../../shared/common/connections/connection';
import type { SetupAppResult } from '../../../../shared/common/entra/setup-app';
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
  draftOfConnection,
  fieldErrorOf,
  type MicrosoftOnlineDraft,
  newDraft,
  saveRequest,
  signInRequest,
  validateAzure,
} from '../microsoft-online/microsoft-online-draft';
import { SetupAppOffer } from '../microsoft-online/SetupAppOffer';
import { SetupAppPanel, setupSummary } from '../microsoft-online/SetupAppPanel';
import { SignInCancelled } from '../microsoft-online/SignInCancelled';
import { SignInProgress } from '../microsoft-online/SignInProgress';
import {
  type AdminSignIn,
  type SetupRequest,
  type SetupRun,
  setupFailed,
  setupProgressed,
  setupRequestOf,
  startedSetup,
  validateSetup,
} from '../microsoft-online/setup-app-state';
import { progressed, type SignIn, startedSignIn } from '../microsoft-online/sign-in-state';
import { TenantResults } from '../microsoft-online/TenantResults';
import { WelcomeChecks } from '../microsoft-online/WelcomeChecks';
import { checklistSettled } from '../progress/step-checklist';
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
  const { connections, save, select, refresh } = useConnectionsStore();
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
  const [adminSignIn, setAdminSignIn] = useState<AdminSignIn>('browser');
  const [setup, setSetup] = useState<SetupRun | null>(null);
  const [setUp, setSetUp] = useState<SetupAppResult | null>(null);
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

  /** Set up certificate sign-in: main saves the connection itself; the wizard shows the steps and the result. */
  const runSetup = (request: SetupRequest) => {
    setFailure(null);
    setCancelled(null);
    const operation = runOperation('entra:setupApp', request, (progress) =>
      setSetup((current) => (current ? setupProgressed(current, progress, performance.now()) : current)),
    );
    cancelRunning.current = operation.cancel;
    setSetup(startedSetup(request));
    void operation.result.then((result) => {
      cancelRunning.current = null;
      const at = performance.now();
      if (!result.ok) return setSetup((current) => current && setupFailed(current, result.error, at));
      setSetup((current) =>
        current
          ? {
              status: 'done',
              request,
              checklist: checklistSettled(current.checklist, result.value.steps, at),
            }
          : current,
      );
      setSetUp(result.value);
      // Main saved it: the panel lists it now, selected, whatever the wizard does next.
      void refresh().then(() => select(result.value.connectionId));
    });
  };

  const startSetup = () => {
    const found = validateSetup(draft, adminSignIn);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    runSetup(setupRequestOf(draft, adminSignIn));
  };

  const next = () => {
    setFailure(null);
    if (step === azure) return tested || setUp ? setStep(controller) : startSignIn();
    setStep(Math.min(step + 1, results));
  };

  /** Finish after the setup: the connection exists; only a chosen domain controller is added to it. */
  const finishSetup = async (made: SetupAppResult) => {
    const connection = connections.find(
      (c): c is MicrosoftOnlineConnection & { hasSecret: boolean } =>
        c.id === made.connectionId && c.kind === 'microsoftOnline',
    );
    if (connection && draft.adConnectionId && draft.dcHost) {
      setSaving('Adding the local domain controller…');
      // Everything as main saved it (so the stored key stays bound to it), plus the domain controller.
      const result = await save({
        ...saveRequest(
          {
            ...draftOfConnection(connection),
            adConnectionId: draft.adConnectionId,
            dcHost: draft.dcHost,
          },
          connection.tenantDomain,
          undefined,
          true,
        ),
        id: connection.id,
        name: connection.name,
      });
      setSaving(null);
      if (!result.ok) return setFailure(result.error);
    }
    select(made.connectionId);
    close();
  };

  const finish = async () => {
    if (setUp) return finishSetup(setUp);
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

  const setupConnection = setUp ? connections.find((c) => c.id === setUp.connectionId) : undefined;
  const extraDomains = tested
    ? tested.result.verifiedDomains.filter((domain) => domain !== tested.result.domain)
    : [];
  const ad = adConnections.find((c) => c.id === draft.adConnectionId);

  return (
    <WizardDialog
      title="New Microsoft Online connection"
      steps={steps}
      current={step}
      busy={signIn ? 'Signing in…' : setup?.status === 'running' ? 'Setting up…' : saving}
      nextDisabled={step === azure && setup?.status === 'failed'}
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
      {step === azure && setup && (
        <SetupAppPanel
          run={setup}
          result={setUp}
          connection={setupConnection?.kind === 'microsoftOnline' ? setupConnection : null}
          onCancel={() => cancelRunning.current?.()}
          onRetry={() => runSetup(setup.request)}
          onEdit={() => setSetup(null)}
        />
      )}
      {step === azure && !setup && (
        <>
          <EntraFields
            draft={draft}
            errors={errors}
            update={update}
            setupOffer={<SetupAppOffer signIn={adminSignIn} onSignIn={setAdminSignIn} onStart={startSetup} />}
          />
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
      {step === results && setUp && (
        <TenantResults
          result={setUp.test}
          summary={[
            ['Domain', setUp.test.domain],
            ['Authentication', authModeLabel.certificate],
            ...setupSummary(setUp, null).filter(
              ([label]) => label !== 'Connection' && label !== 'Tenant test',
            ),
            ['Local domain controller', draft.dcHost ? `${draft.dcHost} (${ad?.domain ?? ''})` : 'none'],
            [
              'Remote Agent',
              setupConnection?.kind === 'microsoftOnline'
                ? `${setupConnection.remoteAgent.host}:${setupConnection.remoteAgent.port}`
                : undefined,
            ],
          ]}
          extraDomains={[]}
          alsoCreate={alsoCreate}
          onToggle={() => {}}
        />
      )}
      {step === results && !setUp && tested && (
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
