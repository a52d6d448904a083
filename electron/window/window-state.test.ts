import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWindowState, placeWindow, saveWindowState } from './window-state';

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
