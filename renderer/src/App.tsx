import { FluentProvider, makeStyles, tokens, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useEffect } from 'react';
import { ConnectionsPanel } from './components/ConnectionsPanel';
import { StatusLine } from './components/StatusLine';
import { Toolbar } from './components/Toolbar';
import { VaultWarning } from './components/VaultWarning';
import { usePrefersDark } from './hooks/use-prefers-dark';
import { useAppInfoStore } from './stores/app-info-store';

const useStyles = makeStyles({
  provider: { height: '100%' },
  shell: {
    display: 'flex',
    flexDirection: 'column',
    height: '100%',
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

export function App() {
  const styles = useStyles();
  const dark = usePrefersDark();
  const load = useAppInfoStore((store) => store.load);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <FluentProvider className={styles.provider} theme={dark ? webDarkTheme : webLightTheme}>
      <div className={styles.shell}>
        <Toolbar />
        <VaultWarning />
        <ConnectionsPanel />
        <StatusLine />
      </div>
    </FluentProvider>
  );
}
