import {
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { SignInAddress } from './SignInAddress';
import type { BrowserPrompt, DeviceCodePrompt } from './sign-in-state';

const useStyles = makeStyles({
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeHero700,
    letterSpacing: '0.15em',
    userSelect: 'all',
  },
});

export interface SignInPromptsProps {
  deviceCode: DeviceCodePrompt | null;
  browser: BrowserPrompt | null;
}

/** What the person does elsewhere while a sign-in waits: finish it in the browser, or type the device code. */
export function SignInPrompts({ deviceCode, browser }: SignInPromptsProps) {
  const styles = useStyles();
  return (
    <>
      {browser && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Your browser opened the Microsoft sign-in page.</MessageBarTitle>
            <Text block>Finish signing in there.</Text>
            <SignInAddress url={browser.url} />
          </MessageBarBody>
        </MessageBar>
      )}
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
