import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultUserDataDir } from './user-data-dir';

describe('defaultUserDataDir', () => {
  it('matches Electron per platform', () => {
    expect(defaultUserDataDir({}, 'linux', '/home/ann')).toBe(
      join('/home/ann/.config', 'Connection Utility'),
    );
    expect(defaultUserDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ann')).toBe(
      join('/cfg', 'Connection Utility'),
    );
    expect(defaultUserDataDir({}, 'darwin', '/Users/ann')).toBe(
      join('/Users/ann/Library/Application Support', 'Connection Utility'),
    );
    expect(defaultUserDataDir({ APPDATA: 'C:/Users/ann/AppData/Roaming' }, 'win32', 'C:/Users/ann')).toBe(
      join('C:/Users/ann/AppData/Roaming', 'Connection Utility'),
    );
  });

  it('lets CU_USER_DATA override, ignoring a blank value', () => {
    expect(defaultUserDataDir({ CU_USER_DATA: '/data/cu' }, 'linux', '/home/ann')).toBe('/data/cu');
    expect(defaultUserDataDir({ CU_USER_DATA: '  ' }, 'linux', '/home/ann')).toBe(
      join('/home/ann/.config', 'Connection Utility'),
    );
  });
});
