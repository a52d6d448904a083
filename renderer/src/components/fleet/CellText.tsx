import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import type { Cell, CellTone } from './fleet-cells';

const useStyles = makeStyles({
  text: { overflowWrap: 'anywhere' },
  ok: {},
  warning: { color: tokens.colorStatusWarningForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** One cell's words, coloured by its tone; the exact facts (a full date, every domain) in its title. */
export function CellText({ cell }: { cell: Cell }) {
  const styles = useStyles();
  const tone: Record<CellTone, string> = styles;
  return (
    <Text className={mergeClasses(styles.text, tone[cell.tone])} title={cell.title} data-tone={cell.tone}>
      {cell.text}
    </Text>
  );
}
