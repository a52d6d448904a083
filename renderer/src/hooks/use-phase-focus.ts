import { type RefObject, useEffect, useRef } from 'react';

/**
 * For a dialog that moves through phases (ready → running → done): the button that moved it on is gone with its
 * phase, so the keyboard goes to the new phase's own button, the one given the returned ref. Nothing moves in
 * `firstPhase`, where the dialog's own initial focus applies.
 */
export function usePhaseFocus(phase: string, firstPhase: string): RefObject<HTMLButtonElement | null> {
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (phase !== firstPhase) next.current?.focus();
  }, [phase, firstPhase]);
  return next;
}
