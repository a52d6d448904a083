import { Button, makeStyles, Spinner, tokens } from '@fluentui/react-components';
import { Component, lazy, type ReactNode, Suspense } from 'react';
import { AppErrorCode } from '../../../../shared/common/errors/error-codes';
import { useViewStore } from '../../stores/view-store';
import { ErrorBar } from '../ErrorBar';

// The Agents view is its own chunk, fetched the first time it is shown: the shell paints without the tables,
// badges and progress bar only this view uses.
const AgentsView = lazy(() => import('./AgentsView').then((m) => ({ default: m.AgentsView })));

const useStyles = makeStyles({
  place: {
    flex: 1,
    minHeight: 0,
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
    alignItems: 'center',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  failure: { flex: 1, backgroundColor: tokens.colorNeutralBackground1 },
});

function ViewFailure({ reason }: { reason: string }) {
  const styles = useStyles();
  const show = useViewStore((s) => s.show);
  return (
    <div className={styles.failure}>
      <ErrorBar
        error={{
          code: AppErrorCode.internal,
          message: `The Agents view could not be loaded: ${reason}`,
          hint: 'Restart Connection Utility.',
        }}
        actions={<Button onClick={() => show('connections')}>Back to Connections</Button>}
      />
    </div>
  );
}

/** A chunk that fails to load (or a view that throws) takes only the view's place, never the window. */
class ViewErrorBoundary extends Component<{ children: ReactNode }, { reason: string | null }> {
  override state: { reason: string | null } = { reason: null };

  static getDerivedStateFromError(error: unknown): { reason: string } {
    const text = error instanceof Error ? error.message : String(error);
    return { reason: text.length > 300 ? `${text.slice(0, 300)}…` : text };
  }

  override render() {
    if (this.state.reason === null) return this.props.children;
    return <ViewFailure reason={this.state.reason} />;
  }
}

export function AgentsViewSlot() {
  const styles = useStyles();
  return (
    <ViewErrorBoundary>
      <Suspense
        fallback={
          <div className={styles.place}>
            <Spinner label="Loading…" />
          </div>
        }
      >
        <AgentsView />
      </Suspense>
    </ViewErrorBoundary>
  );
}
