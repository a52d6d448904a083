import { makeStyles, mergeClasses, Text, Tooltip, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircleRegular,
  CircleRegular,
  CloudRegular,
  DismissCircleRegular,
  ServerRegular,
  WarningRegular,
} from '@fluentui/react-icons';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import type { ConnectionView } from '../../../shared/common/connections/connection';
import {
  connectionDomain,
  connectionKindLabel,
  hasStoredSecret,
} from '../../../shared/common/connections/describe-connection';
import { relativeTime } from '../format/relative-time';
import { useVirtualRows } from '../hooks/use-virtual-rows';
import { perfMarks } from '../stores/connections-store';
import { ExpiryCell } from './expiry/ExpiryCell';
import { expiryCell } from './expiry/expiry-cell';

const rowHeight = 40;
const columns =
  'minmax(170px, 2fr) minmax(130px, 1.1fr) minmax(130px, 1.5fr) minmax(120px, 1fr) minmax(140px, 1.2fr) minmax(130px, 1fr)';

const useStyles = makeStyles({
  frame: { display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 },
  header: {
    display: 'grid',
    gridTemplateColumns: columns,
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    color: tokens.colorNeutralForeground3,
  },
  viewport: {
    flex: 1,
    minHeight: 0,
    overflowY: 'auto',
    position: 'relative',
    outlineStyle: 'none',
    ':focus-visible': { boxShadow: `inset 0 0 0 2px ${tokens.colorStrokeFocus2}` },
  },
  row: {
    position: 'absolute',
    left: 0,
    right: 0,
    height: `${rowHeight}px`,
    display: 'grid',
    gridTemplateColumns: columns,
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
    padding: `0 ${tokens.spacingHorizontalL}`,
    cursor: 'default',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
  },
  selected: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Selected },
  },
  active: { boxShadow: `inset 3px 0 0 ${tokens.colorBrandStroke1}` },
  cell: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  passed: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  needed: { color: tokens.colorStatusWarningForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Where a navigation key moves the selection, or null for any other key. */
function targetIndex(key: string, current: number, page: number, count: number): number | null {
  switch (key) {
    case 'ArrowDown':
      return current + 1;
    case 'ArrowUp':
      return current < 0 ? 0 : current - 1;
    case 'PageDown':
      return current + page;
    case 'PageUp':
      return current - page;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

export interface ConnectionListProps {
  connections: ConnectionView[];
  selectedId: string | null;
  onSelect(id: string): void;
  onDelete(id: string): void;
  /** Double-click or Enter: the edit window. */
  onOpen(id: string): void;
}

export function ConnectionList({ connections, selectedId, onSelect, onDelete, onOpen }: ConnectionListProps) {
  const styles = useStyles();
  const viewport = useRef<HTMLDivElement>(null);
  const rows = useVirtualRows(viewport, connections.length, rowHeight);
  const selectedIndex = connections.findIndex((c) => c.id === selectedId);

  // The benchmark reads the time from the data's arrival to the first frame that shows it: the second
  // animation frame after the commit starts only once the first one has been painted.
  useEffect(() => {
    if (connections.length === 0) return;
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => performance.mark(perfMarks.listPainted));
    });
    return () => cancelAnimationFrame(frame);
  }, [connections]);

  const move = (index: number) => {
    const target = connections[Math.max(0, Math.min(connections.length - 1, index))];
    if (!target) return;
    onSelect(target.id);
    rows.scrollToIndex(connections.indexOf(target));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((viewport.current?.clientHeight ?? rowHeight) / rowHeight) - 1);
    const target = targetIndex(event.key, selectedIndex, page, connections.length);
    if (target !== null) {
      event.preventDefault();
      move(target);
    } else if (event.key === 'Delete' && selectedId) {
      event.preventDefault();
      onDelete(selectedId);
    } else if (event.key === 'Enter' && selectedId) {
      event.preventDefault();
      onOpen(selectedId);
    }
  };

  const visible = connections.slice(rows.first, rows.last + 1);
  // One clock for the rows on screen: the days left agree across the list.
  const now = new Date();
  return (
    <div className={styles.frame}>
      <div className={styles.header} aria-hidden>
        <Text size={200}>Name</Text>
        <Text size={200}>Type</Text>
        <Text size={200}>Domain</Text>
        <Text size={200}>Secret</Text>
        <Text size={200}>Last test</Text>
        <Text size={200}>Expires</Text>
      </div>
      {/* Focus stays on the list while rows mount and unmount, so aria-activedescendant names the current row. */}
      <div
        ref={viewport}
        className={styles.viewport}
        role="listbox"
        aria-label="Connections"
        tabIndex={0}
        aria-activedescendant={selectedId ? `connection-${selectedId}` : undefined}
        onScroll={rows.onScroll}
        onKeyDown={onKeyDown}
        onFocus={() => selectedIndex < 0 && connections.length > 0 && move(0)}
      >
        <div style={{ height: rows.totalHeight }}>
          {visible.map((connection, offset) => {
            const index = rows.first + offset;
            const selected = connection.id === selectedId;
            const Icon = connection.kind === 'activeDirectory' ? ServerRegular : CloudRegular;
            const expiryDescription = `connection-${connection.id}-expiries`;
            return (
              <div
                key={connection.id}
                id={`connection-${connection.id}`}
                role="option"
                aria-selected={selected}
                aria-setsize={connections.length}
                aria-posinset={index + 1}
                aria-describedby={expiryDescription}
                className={mergeClasses(styles.row, selected && styles.selected, selected && styles.active)}
                style={{ top: index * rowHeight }}
                tabIndex={-1}
                onMouseDown={() => onSelect(connection.id)}
                onDoubleClick={() => onOpen(connection.id)}
              >
                <span className={styles.cell}>
                  <Icon aria-label={connectionKindLabel[connection.kind]} />
                  <Text weight="semibold" className={styles.ellipsis}>
                    {connection.name}
                  </Text>
                </span>
                <Text className={styles.ellipsis}>{connectionKindLabel[connection.kind]}</Text>
                <Text className={styles.ellipsis}>{connectionDomain(connection)}</Text>
                <SecretStatus connection={connection} />
                <LastTest connection={connection} />
                <ExpiryCell view={expiryCell(connection.expiries, now)} descriptionId={expiryDescription} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** What a connection without a usable secret needs, in words: it cannot sign in until that is typed again. */
function neededSecret(connection: ConnectionView): string | null {
  if (connection.kind === 'activeDirectory') return 'Password needed';
  switch (connection.authMode) {
    case 'deviceCode':
    case 'browser':
      return null;
    case 'password':
      return 'Password needed';
    case 'certificate':
      return 'Private key needed';
    default:
      return 'Secret needed';
  }
}

function SecretStatus({ connection }: { connection: ConnectionView }) {
  const styles = useStyles();
  if (hasStoredSecret(connection)) return <Text>Stored</Text>;
  const needed = neededSecret(connection);
  if (!needed) return <Text className={styles.muted}>Not needed</Text>;
  // None stored, or unbound by a change of destination: the text says so (in full contrast on a selected
  // row, which the warning orange is not); the icon only repeats it.
  return (
    <span className={styles.cell}>
      <WarningRegular aria-hidden className={styles.needed} />
      <Text className={styles.ellipsis}>{needed}</Text>
    </span>
  );
}

function LastTest({ connection }: { connection: ConnectionView }) {
  const styles = useStyles();
  const test = connection.lastTest;
  if (!test) {
    return (
      <span className={mergeClasses(styles.cell, styles.muted)}>
        <CircleRegular aria-hidden />
        <Text>Never tested</Text>
      </span>
    );
  }
  return (
    <Tooltip content={`${test.summary} (${new Date(test.at).toLocaleString()})`} relationship="description">
      <span className={mergeClasses(styles.cell, test.ok ? styles.passed : styles.failed)}>
        {test.ok ? <CheckmarkCircleRegular aria-hidden /> : <DismissCircleRegular aria-hidden />}
        <Text className={styles.ellipsis}>
          {test.ok ? 'Passed' : 'Failed'} · {relativeTime(test.at)}
        </Text>
      </span>
    </Tooltip>
  );
}
