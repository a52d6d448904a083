import {
  Button,
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  makeStyles,
  Text,
  Tooltip,
  tokens,
} from '@fluentui/react-components';
import {
  AddRegular,
  ArrowExportRegular,
  ArrowImportRegular,
  CloudRegular,
  ServerRegular,
  SettingsRegular,
} from '@fluentui/react-icons';
import { useConnectionsStore } from '../stores/connections-store';
import { useDialogsStore } from '../stores/dialogs-store';
import { useSettingsStore } from '../stores/settings-store';
import { exportToFile, importFromFile } from '../transfer/transfer-actions';

const useStyles = makeStyles({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  grow: { flex: 1 },
});

export function Toolbar() {
  const styles = useStyles();
  const openDialog = useDialogsStore((s) => s.open);
  const loadSettings = useSettingsStore((s) => s.load);
  const connections = useConnectionsStore((s) => s.connections);

  return (
    <header className={styles.toolbar}>
      <Text as="h1" weight="semibold" size={500}>
        Connection Utility
      </Text>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <MenuButton appearance="primary" icon={<AddRegular />}>
            New Connection...
          </MenuButton>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem icon={<ServerRegular />} onClick={() => openDialog({ kind: 'newActiveDirectory' })}>
              Microsoft Active Directory
            </MenuItem>
            <MenuItem
              icon={<CloudRegular />}
              onClick={() => void loadSettings().then(() => openDialog({ kind: 'newMicrosoftOnline' }))}
            >
              Microsoft Online
            </MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      <span className={styles.grow} />
      <Button
        appearance="subtle"
        icon={<SettingsRegular />}
        onClick={() => void loadSettings().then(() => openDialog({ kind: 'settings' }))}
      >
        Settings...
      </Button>
      <Tooltip content="Add connections from an export file" relationship="description">
        <Button appearance="subtle" icon={<ArrowImportRegular />} onClick={() => void importFromFile()}>
          Import...
        </Button>
      </Tooltip>
      <Tooltip
        content="Save the connections to a file (without passwords or secrets)"
        relationship="description"
      >
        <Button
          appearance="subtle"
          icon={<ArrowExportRegular />}
          disabled={connections.length === 0}
          onClick={() => void exportToFile()}
        >
          Export...
        </Button>
      </Tooltip>
    </header>
  );
}
