import {
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, CloudRegular, ServerRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
});

export function Toolbar() {
  const styles = useStyles();
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
            {/* The wizards arrive with the Active Directory and Microsoft Online issues. */}
            <MenuItem icon={<ServerRegular />} disabled>
              Microsoft Active Directory
            </MenuItem>
            <MenuItem icon={<CloudRegular />} disabled>
              Microsoft Online
            </MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
    </header>
  );
}
