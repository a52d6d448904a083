import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useConnectionsStore } from '../stores/connections-store';

/**
 * Shown in an editor whose connection another process (the CLI, a script) deleted while it was open: the
 * window keeps what the admin typed rather than closing under them, and says why Save cannot work.
 */
export function DeletedElsewhereBar({ connectionId }: { connectionId: string }) {
  const deleted = useConnectionsStore(
    (s) =>
      !s.connections.some((c) => c.id === connectionId) &&
      s.deletedElsewhere.some((c) => c.id === connectionId),
  );
  if (!deleted) return null;
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>This connection was deleted outside this window.</MessageBarTitle>
        Another program (for example the command line) removed it from the store, so it can no longer be
        saved. What you typed is still here: copy what you need, then Cancel.
      </MessageBarBody>
    </MessageBar>
  );
}
