import { type RefObject, useCallback, useLayoutEffect, useState } from 'react';

export interface VirtualRows {
  first: number;
  last: number;
  totalHeight: number;
  onScroll(): void;
  scrollToIndex(index: number): void;
}

/**
 * Fixed-height rows: only those in view (plus a margin) are mounted, so 10,000 connections cost as much to
 * render as thirty. Row height is fixed by design, which keeps the arithmetic exact and scrolling smooth.
 */
export function useVirtualRows(
  viewport: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan = 8,
): VirtualRows {
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) return;
    setHeight(element.clientHeight);
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [viewport]);

  const onScroll = useCallback(() => {
    setScrollTop(viewport.current?.scrollTop ?? 0);
  }, [viewport]);

  const scrollToIndex = useCallback(
    (index: number) => {
      const element = viewport.current;
      if (!element) return;
      const top = index * rowHeight;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + rowHeight > element.scrollTop + element.clientHeight) {
        element.scrollTop = top + rowHeight - element.clientHeight;
      }
      setScrollTop(element.scrollTop);
    },
    [viewport, rowHeight],
  );

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return { first, last, totalHeight: count * rowHeight, onScroll, scrollToIndex };
}
