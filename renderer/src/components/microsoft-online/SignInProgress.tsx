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
import { useEffect, useRef } from 'react';
import { SignInAddress } from './SignInAddress';
import type { BrowserPrompt, DeviceCodePrompt } from './sign-in-state';

const useStyles = makeStyles({
  progress: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
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
  browser: BrowserPrompt | null;
  onCancel(): void;
}

/** A sign-in under way: its step, what the person does elsewhere (the device code, the browser), and Cancel. */
export function SignInProgress({ step, deviceCode, browser, onCancel }: SignInProgressProps) {
  const styles = useStyles();
  const prompt = useRef<HTMLDivElement>(null);
  const shown = browser?.url ?? deviceCode?.userCode;
  // What to do next sits below the form, often beyond the scrolled page: bring it into view once it appears.
  useEffect(() => {
    if (shown) prompt.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);
  return (
    <div className={styles.progress} ref={prompt}>
      <div className={styles.running} role="status">
        <Spinner size="tiny" aria-label="Working" />
        <Text>{step}</Text>
        <Button size="small" onClick={onCancel}>
          Cancel sign-in
        </Button>
      </div>
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
    </div>
  );
}
