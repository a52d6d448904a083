import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWindowState, placeWindow, type Rectangle, saveWindowState } from './window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 860 };
const monitorOnTheRight = { x: 1440, y: 0, width: 2560, height: 1400 };

describe('placeWindow', () => {
  it('reopens where it was, maximised or not, while that display exists', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: true };
    expect(placeWindow(saved, [laptop, monitorOnTheRight])).toEqual(saved);
  });

  it('centres on the primary display when its display is gone', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: false };
    expect(placeWindow(saved, [laptop])).toEqual({
      bounds: { x: 120, y: 30, width: 1200, height: 800 },
      maximized: false,
    });
  });

  it('pulls a window mostly off-screen back and shrinks it to the display', () => {
    const saved = { bounds: { x: 1300, y: -10, width: 3000, height: 2000 }, maximized: false };
    expect(placeWindow(saved, [laptop])).toEqual({
      bounds: { x: 0, y: 0, width: 1440, height: 860 },
      maximized: false,
    });
  });

  it('opens at the default size, centred, the first time', () => {
    expect(placeWindow(null, [laptop])).toEqual({
      bounds: { x: 170, y: 70, width: 1100, height: 720 },
      maximized: false,
    });
  });
});

describe('placeWindow on a 1280×800 screen', () => {
  // The work area is the screen less the taskbar or panel, wherever the desktop puts it.
  const taskbarBelow = { x: 0, y: 0, width: 1280, height: 760 };
  const taskbarLeft = { x: 48, y: 0, width: 1232, height: 800 };
  const panelAbove = { x: 0, y: 32, width: 1280, height: 768 };

  const inside = (bounds: Rectangle, area: Rectangle) =>
    bounds.x >= area.x &&
    bounds.y >= area.y &&
    bounds.x + bounds.width <= area.x + area.width &&
    bounds.y + bounds.height <= area.y + area.height;

  it('opens at the default size, centred in the work area above the taskbar', () => {
    expect(placeWindow(null, [taskbarBelow])).toEqual({
      bounds: { x: 90, y: 20, width: 1100, height: 720 },
      maximized: false,
    });
  });

  it('stays out of a taskbar on the left and a panel above', () => {
    expect(placeWindow(null, [taskbarLeft]).bounds).toEqual({ x: 114, y: 40, width: 1100, height: 720 });
    expect(placeWindow(null, [panelAbove]).bounds).toEqual({ x: 90, y: 56, width: 1100, height: 720 });
  });

  it('fits a window remembered from a bigger monitor, or half off-screen, into the work area', () => {
    const remembered = [
      { x: 100, y: 50, width: 1600, height: 1000 },
      { x: 900, y: 600, width: 1100, height: 720 },
      { x: -60, y: -5, width: 1280, height: 800 },
      { x: 2000, y: 100, width: 1200, height: 700 },
    ];
    for (const area of [taskbarBelow, taskbarLeft, panelAbove]) {
      for (const bounds of remembered) {
        const placed = placeWindow({ bounds, maximized: false }, [area]).bounds;
        expect(inside(placed, area), `${JSON.stringify(bounds)} in ${JSON.stringify(area)}`).toBe(true);
      }
    }
    expect(placeWindow({ bounds: remembered[0] ?? taskbarBelow, maximized: false }, [taskbarBelow])).toEqual({
      bounds: taskbarBelow,
      maximized: false,
    });
  });
});

describe('window state file', () => {
  it('round-trips, and a damaged file counts as a first start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-window-'));
    expect(await loadWindowState(dir)).toBeNull();
    const state = { bounds: { x: 10, y: 20, width: 900, height: 600 }, maximized: true };
    await saveWindowState(dir, state);
    expect(await loadWindowState(dir)).toEqual(state);
    writeFileSync(join(dir, 'window-state.json'), '{"version":1,"bounds":');
    expect(await loadWindowState(dir)).toBeNull();
  });
});
