import { Button, Field, makeStyles, Radio, RadioGroup, Text, tokens } from '@fluentui/react-components';
import { WandRegular } from '@fluentui/react-icons';
import { useId } from 'react';
import { type AdminSignIn, adminSignInLabel } from './setup-app-state';

const useStyles = makeStyles({
  offer: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

export interface SetupAppOfferProps {
  signIn: AdminSignIn;
  onSignIn(signIn: AdminSignIn): void;
  onStart(): void;
}

/** "Set up certificate sign-in for me": what it does, how the administrator signs in for it, and the button. */
export function SetupAppOffer({ signIn, onSignIn, onStart }: SetupAppOfferProps) {
  const styles = useStyles();
  const description = useId();
  return (
    <section className={styles.offer} aria-label="Set up certificate sign-in">
      <Button icon={<WandRegular />} aria-describedby={description} onClick={onStart}>
        Set up certificate sign-in for me
      </Button>
      <Text size={200} id={description}>
        Registers an app with a new certificate in your tenant, grants it the four Microsoft Graph permissions
        the tenant test needs, and saves a certificate connection for unattended use. Needs one sign-in of an
        administrator who can register apps.
      </Text>
      <Field label="The administrator signs in with">
        <RadioGroup
          layout="horizontal"
          value={signIn}
          onChange={(_, data) => onSignIn(data.value === 'deviceCode' ? 'deviceCode' : 'browser')}
        >
          {(Object.keys(adminSignInLabel) as AdminSignIn[]).map((value) => (
            <Radio key={value} value={value} label={adminSignInLabel[value]} />
          ))}
        </RadioGroup>
      </Field>
    </section>
  );
}
