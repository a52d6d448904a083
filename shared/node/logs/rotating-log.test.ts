import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingLog } from './rotating-log';

describe('RotatingLog', () => {
  it('keeps the files under the cap, rotating the oldest away, every entry redacted and 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-logs-'));
    const log = new RotatingLog({ dir, maxBytes: 2000, keep: 2 });
    for (let n = 0; n < 200; n += 1) log.write('info', `entry ${n}`, { password: `pw-${n}` });
    expect(readdirSync(dir).sort()).toEqual(['main.log', 'main.log.1', 'main.log.2']);
    for (const name of readdirSync(dir)) {
      expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(2000);
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, name), 'utf8')).not.toMatch(/pw-\d/);
    }
    const last = readFileSync(join(dir, 'main.log'), 'utf8').trim().split('\n').at(-1) ?? '';
    expect(JSON.parse(last)).toMatchObject({ level: 'info', msg: 'entry 199' });
  });

  it('writes only the fields it knows: an unknown field holding a secret never reaches the file (rule 8)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-logs-'));
    const log = new RotatingLog({ dir, now: () => new Date('2030-01-02T03:04:05.000Z') });
    const marker = 'Zq9-MARKER-s3cret';
    const failure = Object.assign(new Error(`bind failed for ldap://svc:${marker}@dc1`), { detail: marker });
    log.write('warn', 'ipc', {
      channel: 'settings:save',
      outcome: 'failed',
      errorCode: 'input.invalid',
      ms: 1.5,
      payload: { secret: marker },
      bindDn: marker,
      request: marker,
      error: failure,
    });
    const text = readFileSync(join(dir, 'main.log'), 'utf8');
    expect(text).not.toContain(marker);
    expect(JSON.parse(text)).toEqual({
      time: '2030-01-02T03:04:05.000Z',
      level: 'warn',
      msg: 'ipc',
      channel: 'settings:save',
      outcome: 'failed',
      errorCode: 'input.invalid',
      ms: 1.5,
      error: { name: 'Error', message: 'bind failed for ldap://svc:[redacted]@dc1' },
      dropped: ['payload', 'bindDn', 'request'],
    });
  });
});
