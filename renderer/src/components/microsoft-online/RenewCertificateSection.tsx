import { Button, makeStyles, Text, Tooltip, tokens } from '@fluentui/react-components';
import { KeyResetRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { CredentialExpiry } from '../../../../shared/common/connections/expiry';
import { describeDaysLeft, expiryState } from '../../../../shared/common/connections/expiry';
import { RenewCertificateDialog } from './RenewCertificateDialog';

const useStyles = makeStyles({
  section: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    paddingTop: tokens.spacingVerticalS,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  text: { flex: '1 1 240px', minWidth: 0 },
});

export interface RenewCertificateSectionProps {
  connectionId: string;
  name: string;
  clientId: string;
  domain: string;
  expiries: readonly CredentialExpiry[] | undefined;
  /** Why Renew cannot run now (unsaved edits, no stored key), or null. */
  blockedBy: string | null;
  onRenewed(): void;
}

/** The certificate's own expiry, as main recorded it: "expires in 9 days (1/2/2027)". */
export function certificateExpiryText(
  expiries: readonly CredentialExpiry[] | undefined,
  now: Date,
): string | null {
  const own = expiries?.find((entry) => entry.what === 'certificate');
  if (!own || own.notAfter === null || own.notAfter === 'never') return null;
  return `${describeDaysLeft(expiryState(own.notAfter, now), own.notAfter)} (${new Date(own.notAfter).toLocaleDateString()})`;
}

/** General tab of a certificate connection: when its certificate expires, and Renew certificate. */
export function RenewCertificateSection(props: RenewCertificateSectionProps) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const expiry = certificateExpiryText(props.expiries, new Date());
  const button = (
    <Button
      icon={<KeyResetRegular />}
      disabledFocusable={Boolean(props.blockedBy)}
      onClick={() => setOpen(true)}
    >
      Renew certificate...
    </Button>
  );
  return (
    <section className={styles.section} aria-label="Certificate renewal">
      <Text className={styles.text}>
        {expiry ? `The certificate ${expiry}.` : 'When the certificate expires is not recorded yet.'} Renew
        certificate registers a new one on the app and retires this one.
      </Text>
      {props.blockedBy ? (
        <Tooltip content={props.blockedBy} relationship="description">
          {button}
        </Tooltip>
      ) : (
        button
      )}
      {open && (
        <RenewCertificateDialog
          connectionId={props.connectionId}
          name={props.name}
          clientId={props.clientId}
          domain={props.domain}
          currentExpiry={expiry}
          onRenewed={props.onRenewed}
          onClose={() => setOpen(false)}
        />
      )}
    </section>
  );
}
