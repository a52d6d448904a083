import { makeStyles, mergeClasses, Text, Tooltip, tokens } from '@fluentui/react-components';
import { ErrorCircleRegular, WarningRegular } from '@fluentui/react-icons';
import type { ExpiryCellView } from './expiry-cell';

const useStyles = makeStyles({
  cell: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  warning: { color: tokens.colorStatusWarningForeground1 },
  expired: { color: tokens.colorPaletteRedForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
  lines: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/**
 * The Expires cell. The text carries the meaning (a screen reader also hears the icon's label, "Expires soon" or
 * "Expired"); colour and icon only repeat it. The tooltip lists every recorded credential for the mouse; the same
 * lines reach the keyboard as the row's description (`descriptionId`), since rows take no focus of their own.
 */
export function ExpiryCell({ view, descriptionId }: { view: ExpiryCellView; descriptionId: string }) {
  const styles = useStyles();
  const Icon = view.tone === 'expired' ? ErrorCircleRegular : view.tone === 'warning' ? WarningRegular : null;
  return (
    <>
      <Tooltip
        relationship="description"
        content={
          <ul className={styles.lines}>
            {view.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        }
      >
        <span
          className={mergeClasses(
            styles.cell,
            view.tone === 'warning' && styles.warning,
            view.tone === 'expired' && styles.expired,
            (view.tone === 'unknown' || view.tone === 'never') && styles.muted,
          )}
          data-expiry={view.tone}
        >
          {Icon && <Icon aria-label={view.label ?? undefined} />}
          <Text className={styles.ellipsis}>{view.text}</Text>
        </span>
      </Tooltip>
      <span id={descriptionId} hidden>
        {`Expiries: ${view.lines.join(' ')}`}
      </span>
    </>
  );
}
