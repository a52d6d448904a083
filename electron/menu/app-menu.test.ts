import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { aboutText, appMenuTemplate } from './app-menu';

function find(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  for (const item of items) {
    if (item.label === label) return item;
    const found = Array.isArray(item.submenu) ? findOrNull(item.submenu, label) : null;
    if (found) return found;
  }
  throw new Error(`no menu item ${label}`);
}
function findOrNull(items: MenuItemConstructorOptions[], label: string) {
  try {
    return find(items, label);
  } catch {
    return null;
  }
}
const click = (item: MenuItemConstructorOptions) => (item.click as unknown as (() => void) | undefined)?.();

describe('application menu', () => {
  const actions = { command: vi.fn(), about: vi.fn(), openLogsFolder: vi.fn(), quit: vi.fn() };
  const menu = appMenuTemplate(actions, 'win32');

  it('has File and Help with the items of the design', () => {
    expect(menu.map((item) => item.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    const labels = (item: MenuItemConstructorOptions) =>
      (item.submenu as MenuItemConstructorOptions[])
        .filter((i) => i.type !== 'separator')
        .map((i) => i.label);
    expect(labels(find(menu, '&File'))).toEqual([
      'New Connection...',
      'Import...',
      'Export...',
      'Export diagnostics...',
      'Settings...',
      'E&xit',
    ]);
    expect(labels(find(menu, '&Help'))).toEqual(['Open logs folder', 'About Connection Utility']);
  });

  it('sends each File item to the window as its toolbar twin, and wires Help and Exit', () => {
    for (const [label, command] of [
      ['Microsoft Active Directory', 'newActiveDirectory'],
      ['Microsoft Online', 'newMicrosoftOnline'],
      ['Import...', 'import'],
      ['Export...', 'export'],
      ['Export diagnostics...', 'exportDiagnostics'],
      ['Settings...', 'settings'],
    ] as const) {
      click(find(menu, label));
      expect(actions.command).toHaveBeenLastCalledWith(command);
    }
    click(find(menu, 'Open logs folder'));
    click(find(menu, 'About Connection Utility'));
    click(find(menu, 'E&xit'));
    expect(actions.openLogsFolder).toHaveBeenCalledOnce();
    expect(actions.about).toHaveBeenCalledOnce();
    expect(actions.quit).toHaveBeenCalledOnce();
  });

  it('switches the window between Connections and Agents from View, with Ctrl+1 and Ctrl+2', () => {
    for (const [label, command, accelerator] of [
      ['Connections', 'showConnections', 'CmdOrCtrl+1'],
      ['Agents', 'showAgents', 'CmdOrCtrl+2'],
    ] as const) {
      const item = find(menu, label);
      expect(item.accelerator).toBe(accelerator);
      click(item);
      expect(actions.command).toHaveBeenLastCalledWith(command);
    }
  });

  it('says Quit on macOS', () => {
    expect(findOrNull(appMenuTemplate(actions, 'darwin'), 'Quit Connection Utility')).not.toBeNull();
  });

  it('names every version in About', () => {
    expect(
      aboutText({ app: '1.2.3', electron: '45.5.0', chrome: '142', node: '22.20', vault: 'dpapi' }),
    ).toBe(
      'Connection Utility 1.2.3\nElectron 45.5.0 · Chromium 142 · Node.js 22.20\nSecrets sealed by: dpapi',
    );
  });
});
