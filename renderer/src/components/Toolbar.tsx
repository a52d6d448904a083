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
import { AppErrorCode } from '../../../shared/common/errors/error-codes';
import { useConnectionsStore } from '../stores/connections-store';
import { useDialogsStore } from '../stores/dialogs-store';
import { useSettingsStore } from '../stores/settings-store';
import { downloadExport, pickJsonFile } from '../transfer/connections-file';

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
  const { importDocument, exportAll, connections } = useConnectionsStore();

  const importFile = async () => {
    const file = await pickJsonFile();
    if (!file) return;
    const outcome = file.ok
      ? await importDocument(file.content)
      : ({
          ok: false,
          error: {
            code: AppErrorCode.inputInvalid,
            message: `${file.name} is not valid JSON.`,
            hint: 'Choose a file made with Export...',
          },
        } as const);
    openDialog({ kind: 'importReport', fileName: file.name, outcome });
  };

  const exportFile = async () => {
    const result = await exportAll();
    if (result.ok) downloadExport(result.value);
  };

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
        <Button appearance="subtle" icon={<ArrowImportRegular />} onClick={() => void importFile()}>
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
          onClick={() => void exportFile()}
        >
          Export...
        </Button>
      </Tooltip>
    </header>
  );
}
