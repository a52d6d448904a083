import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { AdTestResult } from '../../../../shared/common/directory/directory-test';
import { vouchedByLabel } from '../../../../shared/common/directory/vouched-by-label';
import type { AppError } from '../../../../shared/common/errors/app-error';
import { Facts } from '../Facts';

export type TestState =
  | { status: 'idle' }
  | { status: 'running'; step: string; cancel(): void }
  | { status: 'passed'; result: AdTestResult }
  | { status: 'failed'; error: AppError };

const useStyles = makeStyles({
  running: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

const tlsLabel = { ldaps: 'LDAPS', starttls: 'StartTLS', none: 'none (plaintext)' } as const;

export interface TestOutcomeProps {
  state: TestState;
  /** Offered when the certificate is untrusted: pins its fingerprint and tests again. */
  onTrust?(fingerprint: string): void;
  onRetry?(): void;
}

/** The result of an AD test as the wizard and the edit window show it, including the certificate prompt. */
export function TestOutcome({ state, onTrust, onRetry }: TestOutcomeProps) {
  const styles = useStyles();
  if (state.status === 'idle') return null;
  if (state.status === 'running') {
    return (
      <div className={styles.running} role="status">
        <Spinner size="tiny" aria-label="Working" />
        <Text>{state.step}</Text>
        <Button size="small" onClick={state.cancel}>
          Cancel
        </Button>
      </div>
    );
  }
  if (state.status === 'passed') {
    const { result } = state;
    return (
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>The connection works.</MessageBarTitle>
          <Facts
            rows={[
              ['Domain controller', result.rootDse.dnsHostName ?? result.host],
              ['Signed in as', result.boundAs],
              ['Domain', result.rootDse.defaultNamingContext],
              ['Site', result.rootDse.site],
              ['Functional level', result.rootDse.domainControllerFunctionality],
              ['Security', `${tlsLabel[result.tls]} on port ${result.port}`],
              ['Certificate', result.certificate?.subject],
              ['Fingerprint', result.certificate?.fingerprint],
              [
                'Trust',
                result.certificate?.vouchedBy ? vouchedByLabel[result.certificate.vouchedBy] : undefined,
              ],
              ['Time', `${result.elapsedMs} ms`],
            ]}
          />
        </MessageBarBody>
      </MessageBar>
    );
  }
  const { error } = state;
  const detail = error.detail ?? {};
  const untrusted = error.code === 'ad.tlsUntrusted' && typeof detail.fingerprint === 'string';
  return (
    <MessageBar intent={untrusted ? 'warning' : 'error'} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{error.message}</MessageBarTitle>
        {error.hint}
        {untrusted && (
          <Facts
            rows={[
              ['Subject', String(detail.subject ?? '')],
              ['Issuer', String(detail.issuer ?? '')],
              ['Valid from', String(detail.validFrom ?? '')],
              ['Valid to', String(detail.validTo ?? '')],
              ['Names', String(detail.subjectAltNames ?? '')],
              ['SHA-256 fingerprint', String(detail.fingerprint)],
            ]}
          />
        )}
      </MessageBarBody>
      <MessageBarActions>
        {untrusted && onTrust && (
          <Button appearance="primary" onClick={() => onTrust(String(detail.fingerprint))}>
            Trust this certificate
          </Button>
        )}
        {onRetry && <Button onClick={onRetry}>Test again</Button>}
      </MessageBarActions>
    </MessageBar>
  );
}
