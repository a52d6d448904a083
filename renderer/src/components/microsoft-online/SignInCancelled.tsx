import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';

/** A cancelled sign-in: not a failure, said plainly, with how to start again. */
export function SignInCancelled({ message }: { message: string }) {
  const notice = useRef<HTMLDivElement>(null);
  // Cancel sign-in went away with the sign-in: the keyboard lands here rather than falling out of the dialog.
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) notice.current?.focus();
  }, []);
  return (
    <MessageBar intent="info" ref={notice} tabIndex={-1}>
      <MessageBarBody>{message} Next signs in again.</MessageBarBody>
    </MessageBar>
  );
}
