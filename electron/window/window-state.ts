import { join } from 'node:path';
import { z } from 'zod';
import { AtomicJsonFile, type AtomicJsonFileOptions } from '../../shared/node/storage/atomic-json-file';

const RectangleSchema = z.strictObject({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

export const WindowStateSchema = z.strictObject({ bounds: RectangleSchema, maximized: z.boolean() });

export type Rectangle = z.output<typeof RectangleSchema>;
export type WindowState = z.output<typeof WindowStateSchema>;

export const defaultSize = { width: 1100, height: 720 } as const;
export const minimumSize = { width: 720, height: 480 } as const;
/** How much of the title bar must stay on a display for the window to count as reachable. */
const grip = { width: 120, height: 40 };

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where to open the window: the remembered place when enough of its title bar is on a display that still exists
 * (a monitor unplugged, a resolution changed), shrunk to that display; otherwise centred on the primary display.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rectangle[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: defaultSize.width, height: defaultSize.height };
  const sizeWithin = (size: { width: number; height: number }, area: Rectangle) => ({
    width: Math.max(Math.min(size.width, area.width), Math.min(minimumSize.width, area.width)),
    height: Math.max(Math.min(size.height, area.height), Math.min(minimumSize.height, area.height)),
  });
  if (saved) {
    const titleBar = { ...saved.bounds, height: Math.min(grip.height, saved.bounds.height) };
    const home = workAreas.find((area) => {
      const seen = overlap(titleBar, area);
      return seen.width >= Math.min(grip.width, saved.bounds.width) && seen.height >= titleBar.height;
    });
    if (home) {
      const size = sizeWithin(saved.bounds, home);
      // Pull it fully inside the display it is on.
      const x = Math.min(Math.max(saved.bounds.x, home.x), home.x + home.width - size.width);
      const y = Math.min(Math.max(saved.bounds.y, home.y), home.y + home.height - size.height);
      return { bounds: { x, y, ...size }, maximized: saved.maximized };
    }
  }
  const size = sizeWithin(saved?.bounds ?? defaultSize, primary);
  return {
    bounds: {
      x: primary.x + Math.round((primary.width - size.width) / 2),
      y: primary.y + Math.round((primary.height - size.height) / 2),
      ...size,
    },
    maximized: saved?.maximized ?? false,
  };
}

const fileOptions = (dir: string): AtomicJsonFileOptions<WindowState | null> => ({
  path: join(dir, 'window-state.json'),
  version: 1,
  schema: WindowStateSchema.nullable(),
  empty: () => null,
});

/** The remembered state; a missing or unreadable file means "first start" — it is only a convenience. */
export async function loadWindowState(dir: string): Promise<WindowState | null> {
  try {
    return (await AtomicJsonFile.forReading(fileOptions(dir)).read()).value;
  } catch {
    return null;
  }
}

export async function saveWindowState(dir: string, state: WindowState): Promise<void> {
  const file = await AtomicJsonFile.openForWriting(fileOptions(dir));
  try {
    await file.write(state);
  } finally {
    await file.close();
  }
}
