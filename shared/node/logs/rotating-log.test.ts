import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from './redact';
import { RotatingLog } from './rotating-log';

describe('redact', () => {
  it('removes secret-named fields at any depth, and secrets inside strings', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXBhcnQ';
    const entry = redact({
      msg: `PUT failed: Authorization: Bearer abc.def-123 and ${jwt}`,
      request: { domain: 'contoso.com', secret: 'S3cr3t!', apiKey: 'k-123', nested: [{ password: 'pw' }] },
      headers: { authorization: 'Bearer xyz', 'x-api-key': 'k' },
      url: 'https://example/?client_secret=abc&x=1',
      body: 'password=hunter2; user=admin',
      pem: '-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----',
      hasSecret: true,
    });
    const text = JSON.stringify(entry);
    for (const secret of [
      'S3cr3t!',
      'k-123',
      '"pw"',
      'xyz',
      'abc.def-123',
      jwt,
      'hunter2',
      'MIIEv',
      'client_secret=abc',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(entry).toMatchObject({
      request: { domain: 'contoso.com' },
      hasSecret: true,
      body: 'password=[redacted]; user=admin',
    });
  });
});

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
    expect(JSON.parse(last)).toMatchObject({ level: 'info', msg: 'entry 199', password: '[redacted]' });
  });
});
