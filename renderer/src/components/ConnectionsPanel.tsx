import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { PlugDisconnectedRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  panel: {
    flex: 1,
    minHeight: 0,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXXL,
    color: tokens.colorNeutralForeground2,
  },
  icon: { fontSize: '48px', color: tokens.colorNeutralForeground3 },
});

export function ConnectionsPanel() {
  const styles = useStyles();
  return (
    <main className={styles.panel} aria-label="Connections">
      <PlugDisconnectedRegular className={styles.icon} aria-hidden />
      <Text as="h2" size={500} weight="semibold">
        No connections yet
      </Text>
      <Text align="center">
        Use New Connection... to add a Microsoft Active Directory connection, then a Microsoft Online
        connection for each tenant domain.
      </Text>
    </main>
  );
}
