import {
  Button,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { AppError, AppErrorDetail } from '../../../../shared/common/errors/app-error';
import { AppErrorCode } from '../../../../shared/common/errors/error-codes';
import type { Result } from '../../../../shared/common/result';
import { Facts } from '../Facts';

// The two moments an HTTPS Remote Agent needs the admin's word, as SSH asks about a host key: first contact
// (nothing vouches for its certificate yet) and a certificate other than the one trusted until now.

export type CertificateProblem = AppError & {
  code: typeof AppErrorCode.agentCertificateUntrusted | typeof AppErrorCode.agentCertificateChanged;
};

/** The errors this card answers: each carries the certificate the agent presented, with its fingerprint. */
export function certificateProblemOf(error: AppError | null | undefined): CertificateProblem | null {
  if (!error || typeof error.detail?.fingerprint !== 'string') return null;
  return error.code === AppErrorCode.agentCertificateUntrusted ||
    error.code === AppErrorCode.agentCertificateChanged
    ? (error as CertificateProblem)
    : null;
}

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  fingerprint: {
    width: '100%',
    '& textarea': { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  },
  danger: {
    color: tokens.colorPaletteRedForeground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorPaletteRedBorder2}`,
    ':hover': { color: tokens.colorPaletteRedForeground1 },
  },
  failure: { color: tokens.colorPaletteRedForeground1 },
});

const text = (detail: AppErrorDetail, name: string) => {
  const value = detail[name];
  return Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : undefined;
};

// OpenSSL's verdicts, as an admin reads them; any other is shown as it came.
const reasonText: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it signed its certificate itself',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chains to a root this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the CA that issued its certificate is unknown here',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the CA that issued its certificate is unknown here',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate does not name this host',
};

function Fingerprint({ label, value }: { label: string; value: string }) {
  const styles = useStyles();
  // A read-only text box: reachable by Tab, selectable and copyable, and named by its label.
  return (
    <Field label={label}>
      <Textarea className={styles.fingerprint} readOnly value={value} rows={2} resize="none" />
    </Field>
  );
}

function CertificateFacts({ detail }: { detail: AppErrorDetail }) {
  const from = text(detail, 'validFrom');
  const to = text(detail, 'validTo');
  const subject = text(detail, 'subject');
  const issuer = text(detail, 'issuer');
  const selfSigned = subject !== undefined && subject === issuer;
  return (
    <Facts
      rows={[
        ['Subject', selfSigned ? `${subject} (self-signed)` : subject],
        ['Issuer', selfSigned ? undefined : issuer],
        ['Valid', from && to ? `from ${from} to ${to}` : undefined],
        ['Names', text(detail, 'subjectAltNames')],
      ]}
    />
  );
}

const compareOnHost = <code>connection-utility-agent fingerprint --data DIR</code>;

export interface AgentCertificateCardProps {
  problem: CertificateProblem;
  /** Pins the certificate with this fingerprint for the agent the problem names, then asks for the status again. */
  onTrust(fingerprint: string): Promise<Result<unknown>>;
}

/** "Do you trust this Remote Agent?" on first contact; SSH's changed-host-key warning when its certificate changed. */
export function AgentCertificateCard({ problem, onTrust }: AgentCertificateCardProps) {
  const styles = useStyles();
  const [trusting, setTrusting] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  const detail = problem.detail ?? {};
  const fingerprint = String(detail.fingerprint);
  const url = text(detail, 'url') ?? 'the Remote Agent';
  const changed = problem.code === AppErrorCode.agentCertificateChanged;
  const reason = text(detail, 'reason');

  const trust = async () => {
    setTrusting(true);
    setFailure(null);
    const result = await onTrust(fingerprint);
    setTrusting(false);
    if (!result.ok) setFailure(result.error);
  };

  // What main saw when it looked itself, if that is not the certificate shown above.
  const presentedInstead = failure ? text(failure.detail ?? {}, 'fingerprint') : undefined;

  return (
    <MessageBar intent={changed ? 'error' : 'warning'} layout="multiline">
      <MessageBarBody className={styles.body}>
        {changed ? (
          <>
            <MessageBarTitle>The Remote Agent’s certificate has changed</MessageBarTitle>
            <Text>
              {url} presents another certificate than the one trusted for it: it may have been renewed or
              replaced, or someone may be intercepting the connection. Nothing was sent to it.
            </Text>
            <Fingerprint label="Trusted until now" value={text(detail, 'pinnedFingerprint') ?? ''} />
            <Fingerprint label="Presented now" value={fingerprint} />
            <CertificateFacts detail={detail} />
            <Text>
              On the agent host, run {compareOnHost}. Only if it prints the fingerprint presented now, trust
              the new certificate.
            </Text>
          </>
        ) : (
          <>
            <MessageBarTitle>Do you trust this Remote Agent?</MessageBarTitle>
            <Text>
              {url} presents a certificate that nothing on this computer vouches for
              {reason ? ` (${reasonText[reason] ?? reason})` : ''}. Nothing was sent to it.
            </Text>
            <CertificateFacts detail={detail} />
            <Fingerprint label="SHA-256 fingerprint" value={fingerprint} />
            <Text>Compare it with what {compareOnHost} prints on the agent host.</Text>
            {detail.systemStoreTrusted === false && (
              <Text size={200}>
                Settings do not trust this computer’s certificate store: a certificate from your
                organisation’s CA is trusted once they do.
              </Text>
            )}
          </>
        )}
        {failure && (
          <div role="alert" className={styles.failure}>
            <Text weight="semibold">{failure.message}</Text> {failure.hint}
          </div>
        )}
        {presentedInstead && presentedInstead !== fingerprint && (
          <Fingerprint label="Presented when trusting" value={presentedInstead} />
        )}
      </MessageBarBody>
      <MessageBarActions>
        <Button
          appearance={changed ? 'secondary' : 'primary'}
          className={changed ? styles.danger : undefined}
          disabled={trusting}
          icon={trusting ? <Spinner size="tiny" aria-label="Trusting" /> : undefined}
          onClick={() => void trust()}
        >
          {changed ? 'Trust the new certificate' : 'Trust this agent'}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
