import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../../common/settings';
import { writeSettings } from '../../settings/settings-file';
import { testHost } from '../fixtures/test-host';
import { systemTrustFrom } from './system-trust';

const emit = () => {};

describe('whether a call trusts the operating system store', () => {
  it('is on by default, off when Settings say so, and the CLI’s flag turns it off whatever they say', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-system-trust-'));
    const trust = systemTrustFrom(dir);
    expect(await trust({ emit })).toBe(true);
    expect(await trust({ emit, host: { trustSystemStore: false } })).toBe(false);
    await writeSettings(dir, SettingsSchema.parse({ trustSystemStore: false }));
    expect(await trust({ emit })).toBe(false);
    await writeSettings(dir, SettingsSchema.parse({}));
    expect(await trust({ emit })).toBe(true);
  });
});

describe('the window cannot choose trust per request', () => {
  const { call, close } = testHost();
  afterAll(close);

  it.each([
    [
      'ad:test',
      {
        target: { host: '127.0.0.1', port: 636, tls: 'ldaps' },
        trust: { pinnedFingerprints: [], trustSystemStore: true },
        bindUser: 'svc',
        password: 'x',
      },
    ],
    [
      'ad:discoverControllers',
      { domain: 'contoso.test', trust: { pinnedFingerprints: [], trustSystemStore: true } },
    ],
    ['entra:test', { domain: 'contoso.test', authMode: 'password', secret: 'x', trustSystemStore: true }],
    ['entra:checkEndpoints', { trustSystemStore: true }],
    ['agent:status', { host: 'localhost', trustSystemStore: true }],
  ])(
    '%s refuses a trustSystemStore field (input.invalid) before any handler runs',
    async (channel, request) => {
      expect(await call(channel, request)).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    },
  );
});
