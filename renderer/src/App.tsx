import {
  FluentProvider,
  makeStyles,
  mergeClasses,
  tokens,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import { useEffect } from 'react';
import { ConnectionsPanel } from './components/ConnectionsPanel';
import { DialogHost } from './components/DialogHost';
import { AgentsViewSlot } from './components/fleet/AgentsViewSlot';
import { ViewSwitch } from './components/fleet/ViewSwitch';
import { StatusLine } from './components/StatusLine';
import { Toolbar } from './components/Toolbar';
import { VaultWarning } from './components/VaultWarning';
import { useMenuCommands } from './hooks/use-menu-commands';
import { usePrefersDark } from './hooks/use-prefers-dark';
import { useAppInfoStore } from './stores/app-info-store';
import { useConnectionsStore } from './stores/connections-store';
import { useViewStore } from './stores/view-store';

const useStyles = makeStyles({
  shell: {
    display: 'flex',
    flexDirection: 'column',
    // 100vh, not 100% of the provider: Fluent copies the provider's classes onto its portal node.
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  view: { flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' },
  // A class, not only the hidden attribute: the view's display: flex would otherwise win over it.
  hidden: { display: 'none' },
});

export function App() {
  const styles = useStyles();
  const dark = usePrefersDark();
  const loadAppInfo = useAppInfoStore((store) => store.load);
  const loadConnections = useConnectionsStore((store) => store.load);
  const view = useViewStore((store) => store.view);
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
        <ViewSwitch />
        {/* The Connections panel stays mounted while hidden: its scroll position and live updates carry on. */}
        <div
          role="tabpanel"
          id="view-connections"
          aria-labelledby="view-tab-connections"
          hidden={view !== 'connections'}
          className={mergeClasses(styles.view, view !== 'connections' && styles.hidden)}
        >
          <ConnectionsPanel />
        </div>
        <div
          role="tabpanel"
          id="view-agents"
          aria-labelledby="view-tab-agents"
          hidden={view !== 'agents'}
          className={mergeClasses(styles.view, view !== 'agents' && styles.hidden)}
        >
          {view === 'agents' && <AgentsViewSlot />}
        </div>
        <StatusLine />
      </div>
      <DialogHost />
    </FluentProvider>
  );
}
