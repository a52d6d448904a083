import { makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import type { AppInfo } from '../../../shared/common/app-info';
import { useAppInfoStore } from '../stores/app-info-store';

const useStyles = makeStyles({
  status: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    minHeight: '28px',
  },
  error: { color: tokens.colorPaletteRedForeground1 },
});

function summarize(info: AppInfo): string {
  const runtime = [
    info.versions.electron ? `Electron ${info.versions.electron}` : null,
    info.versions.chrome ? `Chrome ${info.versions.chrome}` : null,
    `Node ${info.versions.node}`,
  ].filter(Boolean);
  const host = info.host === 'devHost' ? ' (development host)' : '';
  return `${info.appName} ${info.appVersion}${host} · ${runtime.join(' · ')} · Data: ${info.userDataDir} · Vault: ${info.vault.kind} (${info.vault.backend})`;
}

export function StatusLine() {
  const styles = useStyles();
  const state = useAppInfoStore((store) => store.state);
  return (
    <footer className={styles.status} role="status" aria-label="Status">
      {state.status === 'loading' && <Spinner size="extra-tiny" label="Connecting to the main process…" />}
      {state.status === 'ready' && <Text size={200}>{summarize(state.info)}</Text>}
      {state.status === 'failed' && (
        <Text size={200} className={styles.error}>
          {state.error.message} {state.error.hint}
        </Text>
      )}
    </footer>
  );
}
