import { makeStyles, Text, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
  },
  value: { margin: 0, wordBreak: 'break-all' },
});

/** Label → value pairs of a result; empty values are left out rather than shown blank. */
export function Facts({ rows }: { rows: [string, string | number | null | undefined][] }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts}>
      {rows
        .filter(([, value]) => value !== null && value !== undefined && value !== '')
        .map(([label, value]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt>
              <Text weight="semibold">{label}</Text>
            </dt>
            <dd className={styles.value}>
              <Text>{String(value)}</Text>
            </dd>
          </div>
        ))}
    </dl>
  );
}
