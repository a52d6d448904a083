import { FluentProvider, makeStyles, tokens, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useEffect } from 'react';
import { ConnectionsPanel } from './components/ConnectionsPanel';
import { DialogHost } from './components/DialogHost';
import { StatusLine } from './components/StatusLine';
import { Toolbar } from './components/Toolbar';
import { VaultWarning } from './components/VaultWarning';
import { useMenuCommands } from './hooks/use-menu-commands';
import { usePrefersDark } from './hooks/use-prefers-dark';
import { useAppInfoStore } from './stores/app-info-store';
import { useConnectionsStore } from './stores/connections-store';

const useStyles = makeStyles({
  shell: {
    display: 'flex',
    flexDirection: 'column',
    // 100vh, not 100% of the provider: Fluent copies the provider's classes onto its portal node.
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

export function App() {
  const styles = useStyles();
  const dark = usePrefersDark();
  const loadAppInfo = useAppInfoStore((store) => store.load);
  const loadConnections = useConnectionsStore((store) => store.load);
  useMenuCommands();

  useEffect(() => {
    void loadAppInfo();
    void loadConnections();
  }, [loadAppInfo, loadConnections]);

  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <div className={styles.shell}>
        <Toolbar />
        <VaultWarning />
        <ConnectionsPanel />
        <StatusLine />
      </div>
      <DialogHost />
    </FluentProvider>
  );
}
