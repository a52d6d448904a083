import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  SearchBox,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  BoxArrowUpRegular,
  DeleteRegular,
  DismissRegular,
  PlugDisconnectedRegular,
  StethoscopeRegular,
} from '@fluentui/react-icons';
import { useMemo } from 'react';
import { AppErrorCode } from '../../../shared/common/errors/error-codes';
import { useLiveConnections } from '../hooks/use-live-connections';
import { matchesFilter, useConnectionsStore } from '../stores/connections-store';
import { useDialogsStore } from '../stores/dialogs-store';
import { ConnectionList } from './ConnectionList';
import { ErrorBar } from './ErrorBar';

const useStyles = makeStyles({
  panel: {
    flex: 1,
    minHeight: 0,
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
  },
  grow: { flex: 1 },
  empty: {
    flex: 1,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXXL,
    color: tokens.colorNeutralForeground2,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  icon: { fontSize: '48px', color: tokens.colorNeutralForeground3 },
});

export function ConnectionsPanel() {
  const styles = useStyles();
  const { status, connections, notice, error, filter, selectedId, load, setFilter, select, dismissNotice } =
    useConnectionsStore();
  useLiveConnections();
  const openDialog = useDialogsStore((s) => s.open);
  const shown = useMemo(() => connections.filter((c) => matchesFilter(c, filter)), [connections, filter]);
  const confirmDelete = (connectionId: string) => openDialog({ kind: 'confirmDelete', connectionId });

  return (
    <main className={styles.panel} aria-label="Connections panel">
      {notice && (
        // Moving connections.json into the new store is news, not a problem; anything else needs a look.
        <MessageBar
          intent={notice.code === AppErrorCode.storeMigrated ? 'info' : 'warning'}
          layout="multiline"
        >
          <MessageBarBody>
            <MessageBarTitle>{notice.message}</MessageBarTitle>
            {notice.hint}
          </MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button
                appearance="transparent"
                aria-label="Dismiss"
                icon={<DismissRegular />}
                onClick={dismissNotice}
              />
            }
          />
        </MessageBar>
      )}
      {status === 'failed' && error && (
        <ErrorBar
          error={error}
          title="The connections could not be loaded."
          actions={<Button onClick={() => void load()}>Retry</Button>}
        />
      )}
      {connections.length > 0 && (
        <div className={styles.bar}>
          <SearchBox
            placeholder="Filter by name, domain or type"
            aria-label="Filter connections"
            value={filter}
            onChange={(_, data) => setFilter(data.value)}
          />
          <Text size={200} aria-live="polite">
            {shown.length === connections.length
              ? `${connections.length} connection(s)`
              : `${shown.length} of ${connections.length} connection(s)`}
          </Text>
          <span className={styles.grow} />
          <Button
            icon={<StethoscopeRegular />}
            disabled={!selectedId || !shown.some((c) => c.id === selectedId)}
            onClick={() => selectedId && openDialog({ kind: 'diagnose', connectionId: selectedId })}
          >
            Diagnose...
          </Button>
          <Button icon={<BoxArrowUpRegular />} onClick={() => openDialog({ kind: 'exportDiagnostics' })}>
            Export diagnostics...
          </Button>
          <Button
            icon={<DeleteRegular />}
            disabled={!selectedId || !shown.some((c) => c.id === selectedId)}
            onClick={() => selectedId && confirmDelete(selectedId)}
          >
            Delete
          </Button>
        </div>
      )}
      {status === 'loading' && connections.length === 0 && (
        <div className={styles.empty}>
          <Spinner label="Loading connections…" />
        </div>
      )}
      {status !== 'loading' && connections.length === 0 && (
        <div className={styles.empty}>
          <PlugDisconnectedRegular className={styles.icon} aria-hidden />
          <Text as="h2" size={500} weight="semibold">
            No connections yet
          </Text>
          <Text align="center">
            Use New Connection... to add a Microsoft Active Directory connection, then a Microsoft Online
            connection for each tenant domain.
          </Text>
        </div>
      )}
      {connections.length > 0 && shown.length === 0 && (
        <div className={styles.empty}>
          <Text>No connection matches “{filter}”.</Text>
          <Button onClick={() => setFilter('')}>Clear filter</Button>
        </div>
      )}
      {shown.length > 0 && (
        <ConnectionList
          connections={shown}
          selectedId={selectedId}
          onSelect={select}
          onDelete={confirmDelete}
          onOpen={(connectionId) => openDialog({ kind: 'editConnection', connectionId })}
        />
      )}
    </main>
  );
}
