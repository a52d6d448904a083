import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { EventPayloadOf } from '../../../../shared/common/ipc/event-map';

export type DeviceCodePrompt = NonNullable<EventPayloadOf<'progress'>['deviceCode']>;

const useStyles = makeStyles({
  running: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeHero700,
    letterSpacing: '0.15em',
    userSelect: 'all',
  },
});

export interface SignInProgressProps {
  step: string;
  deviceCode: DeviceCodePrompt | null;
  onCancel(): void;
}

/** A sign-in under way: its step, the device code to type when there is one, and Cancel. */
export function SignInProgress({ step, deviceCode, onCancel }: SignInProgressProps) {
  const styles = useStyles();
  return (
    <>
      <div className={styles.running} role="status">
        <Spinner size="tiny" aria-label="Working" />
        <Text>{step}</Text>
        <Button size="small" onClick={onCancel}>
          Cancel sign-in
        </Button>
      </div>
      {deviceCode && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Sign in on another device</MessageBarTitle>
            <Text block>
              Open{' '}
              <Link href={deviceCode.verificationUri} target="_blank" rel="noreferrer">
                {deviceCode.verificationUri}
              </Link>{' '}
              and enter the code:
            </Text>
            <Text block className={styles.code} aria-label="Device code">
              {deviceCode.userCode}
            </Text>
            <Text size={200}>
              The code expires in {Math.round(deviceCode.expiresInSeconds / 60)} minutes.
            </Text>
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
