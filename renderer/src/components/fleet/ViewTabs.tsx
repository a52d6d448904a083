import { Tab, TabList } from '@fluentui/react-components';
import { mainViews, useViewStore } from '../../stores/view-store';

/** Connections | Agents: arrow keys move between the tabs, Enter or Space shows one. */
export function ViewTabs({ className }: { className: string }) {
  const view = useViewStore((store) => store.view);
  const show = useViewStore((store) => store.show);
  return (
    <TabList
      className={className}
      aria-label="Views"
      size="small"
      selectedValue={view}
      onTabSelect={(_, data) => {
        const chosen = mainViews.find(({ value }) => value === data.value);
        if (chosen) show(chosen.value);
      }}
    >
      {mainViews.map(({ value, label }) => (
        <Tab key={value} value={value} id={`view-tab-${value}`} aria-controls={`view-${value}`}>
          {label}
        </Tab>
      ))}
    </TabList>
  );
}
