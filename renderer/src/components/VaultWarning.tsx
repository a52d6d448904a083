import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useAppInfoStore } from '../stores/app-info-store';

/** Linux without a keyring falls back to basic_text: the admin must know before entering a Domain Admin password. */
export function VaultWarning() {
  const state = useAppInfoStore((store) => store.state);
  if (state.status !== 'ready') {
    return null;
  }
  const { protection, backend } = state.info.vault;
  if (protection !== 'weak' && protection !== 'unavailable') {
    return null;
  }
  return (
    <MessageBar intent="warning">
      <MessageBarBody>
        <MessageBarTitle>Secrets are protected only weakly on this system.</MessageBarTitle>
        {protection === 'weak'
          ? `The OS credential store is not available (backend: ${backend}). Install and unlock a keyring such as GNOME Keyring or KWallet, then restart Connection Utility.`
          : 'The OS cannot encrypt secrets for this user right now. Sign in to a desktop session with a keyring, then restart Connection Utility.'}
      </MessageBarBody>
    </MessageBar>
  );
}
