import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { Component, lazy, type ReactNode, Suspense } from 'react';
import { mainViews, useViewStore } from '../../stores/view-store';

// Fluent's tabs carry their every size and appearance as styles (about 7.5 kB gzip): loaded right after the first
// paint, they keep the shell's first load within its budget. Until they arrive (or if they cannot), the same
// labels hold their place; the View menu switches views either way.
const ViewTabs = lazy(() => import('./ViewTabs').then((m) => ({ default: m.ViewTabs })));

const useStyles = makeStyles({
  strip: {
    padding: `0 ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  // The small tabs' height and padding, so nothing moves when they replace it.
  placeholder: { display: 'flex', alignItems: 'center', height: '32px' },
  label: { padding: `0 ${tokens.spacingHorizontalM}` },
});

function Placeholder() {
  const styles = useStyles();
  const view = useViewStore((store) => store.view);
  return (
    <div className={mergeClasses(styles.strip, styles.placeholder)} aria-hidden>
      {mainViews.map(({ value, label }) => (
        <Text key={value} className={styles.label} weight={value === view ? 'semibold' : 'regular'}>
          {label}
        </Text>
      ))}
    </div>
  );
}

class PlaceholderOnError extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? <Placeholder /> : this.props.children;
  }
}

/** The window's view switch, Connections | Agents, between the toolbar and the view. */
export function ViewSwitch() {
  const styles = useStyles();
  return (
    <PlaceholderOnError>
      <Suspense fallback={<Placeholder />}>
        <ViewTabs className={styles.strip} />
      </Suspense>
    </PlaceholderOnError>
  );
}
