import { useEffect, useRef } from 'react';

/** Focus inside these is passing through: a dialog or menu, not the control the admin will want back. */
const transient = '[role="dialog"], [role="alertdialog"], [role="menu"]';

/**
 * When the open dialog closes, focus returns to the control the admin last used outside dialogs and menus (the
 * toolbar button behind a menu item, the list row that was double-clicked). Fluent only does this for dialogs
 * opened by a DialogTrigger; ours open from menus, the list and the application menu, so without it keyboard
 * users land on the page body after every dialog.
 */
export function useFocusReturn(dialogOpen: boolean): void {
  const lastOutside = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const remember = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement && !event.target.closest(transient)) {
        lastOutside.current = event.target;
      }
    };
    document.addEventListener('focusin', remember);
    return () => document.removeEventListener('focusin', remember);
  }, []);

  const wasOpen = useRef(dialogOpen);
  useEffect(() => {
    const closed = wasOpen.current && !dialogOpen;
    wasOpen.current = dialogOpen;
    const target = lastOutside.current;
    if (closed && target?.isConnected && !document.activeElement?.closest(transient)) target.focus();
  }, [dialogOpen]);
}
