import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { ImportReport } from '../../../shared/common/connections/transfer';
import type { AppError } from '../../../shared/common/errors/app-error';
import { useDialogsStore } from '../stores/dialogs-store';
import { ErrorBar } from './ErrorBar';

const useStyles = makeStyles({
  list: { maxHeight: '240px', overflowY: 'auto', paddingLeft: tokens.spacingHorizontalL },
});

export interface ImportReportDialogProps {
  fileName: string;
  outcome: { ok: true; value: ImportReport } | { ok: false; error: AppError };
}

export function ImportReportDialog({ fileName, outcome }: ImportReportDialogProps) {
  const close = useDialogsStore((s) => s.close);
  return (
    <Dialog open onOpenChange={(_, data) => !data.open && close()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Import from {fileName}</DialogTitle>
          <DialogContent>
            {outcome.ok ? (
              <ReportBody report={outcome.value} />
            ) : (
              <ErrorBar error={outcome.error} title="Nothing was imported." />
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={close}>
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function ReportBody({ report }: { report: ImportReport }) {
  const styles = useStyles();
  return (
    <>
      <Text block>
        Imported {report.imported.length} connection(s); skipped {report.skipped.length}.
      </Text>
      {report.imported.length > 0 && (
        <Text block>Passwords and secrets are never exported: enter them again before testing.</Text>
      )}
      {report.skipped.length > 0 && (
        <ul className={styles.list} aria-label="Skipped entries">
          {report.skipped.map((skip) => (
            <li key={skip.index}>
              Entry {skip.index + 1}
              {skip.name ? ` (${skip.name})` : ''}: {skip.reasons.join('; ')}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
