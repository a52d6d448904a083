import { Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { CopyRegular } from '@fluentui/react-icons';
import { useState } from 'react';

const useStyles = makeStyles({
  row: {
    display: 'flex',
    alignItems: 'end',
    gap: tokens.spacingHorizontalS,
    marginTop: tokens.spacingVerticalS,
  },
  field: { flexGrow: 1, minWidth: 0 },
  address: { fontFamily: tokens.fontFamilyMonospace },
  copy: { flexShrink: 0, whiteSpace: 'nowrap' },
});

/**
 * The sign-in page's address, for when no browser came up (or it opened behind this window): read-only and
 * selected whole on focus, with Copy. Not a link: the window opens no sign-in host itself.
 */
export function SignInAddress({ url }: { url: string }) {
  const styles = useStyles();
  const [copy, setCopy] = useState<'copied' | 'failed' | null>(null);
  return (
    <div className={styles.row}>
      <Field
        className={styles.field}
        label="If nothing opened, open this address:"
        validationState={copy === 'failed' ? 'warning' : 'none'}
        validationMessage={
          copy === 'failed' ? 'Copying was refused: select the address and press Ctrl+C.' : undefined
        }
      >
        <Input
          readOnly
          value={url}
          input={{ className: styles.address }}
          onFocus={(event) => event.currentTarget.select()}
        />
      </Field>
      <Button
        className={styles.copy}
        icon={<CopyRegular />}
        onClick={() =>
          void navigator.clipboard.writeText(url).then(
            () => setCopy('copied'),
            () => setCopy('failed'),
          )
        }
      >
        {copy === 'copied' ? 'Copied' : 'Copy address'}
      </Button>
    </div>
  );
}
