import { create } from 'zustand';

export type MainView = 'connections' | 'agents';

/** The window's views, in the order the view switch and the View menu list them. */
export const mainViews: readonly { value: MainView; label: string }[] = [
  { value: 'connections', label: 'Connections' },
  { value: 'agents', label: 'Agents' },
];

const storageKey = 'connectionUtility.view';

/**
 * The view chosen last in this session survives a reload of the window (sessionStorage), not a restart: a new
 * session starts on Connections, where the work begins.
 */
function remembered(): MainView {
  try {
    return globalThis.sessionStorage?.getItem(storageKey) === 'agents' ? 'agents' : 'connections';
  } catch {
    // Storage refused (a locked-down profile): the session simply does not remember.
    return 'connections';
  }
}

interface ViewState {
  view: MainView;
  show(view: MainView): void;
}

/** Which of the window's two views is showing: Connections or Agents. */
export const useViewStore = create<ViewState>((set) => ({
  view: remembered(),
  show(view) {
    try {
      globalThis.sessionStorage?.setItem(storageKey, view);
    } catch {
      // As above: shown, just not remembered.
    }
    set({ view });
  },
}));
