import { Button, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { SignInPrompts } from './SignInPrompts';
import type { BrowserPrompt, DeviceCodePrompt } from './sign-in-state';

const useStyles = makeStyles({
  progress: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  running: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
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
      <SignInPrompts deviceCode={deviceCode} browser={browser} />
    </div>
  );
}
