import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLog } from '../../logs/create-log';
import { logTailBytes, readLogTail } from './log-tail';

const dataFolder = () => mkdtempSync(join(tmpdir(), 'cu-log-tail-'));
const line = (n: number, pad = 0) =>
  `${JSON.stringify({ level: 30, msg: `entry ${n}`, pad: 'x'.repeat(pad) })}\n`;

describe('readLogTail', () => {
  it('takes the newest MiB across the rotated files, oldest first, without the line the boundary cuts', async () => {
    const userData = dataFolder();
    const logs = join(userData, 'logs');
    mkdirSync(logs);
    // main.2 and main.3 hold 600 KB each, main.10 (the newest: numbers, not letters, order them) 300 KB.
    const fill = (from: number, count: number) =>
      Array.from({ length: count }, (_, k) => line(from + k, 1000)).join('');
    writeFileSync(join(logs, 'main.2.log'), fill(0, 600));
    writeFileSync(join(logs, 'main.3.log'), fill(1000, 600));
    writeFileSync(join(logs, 'main.10.log'), fill(2000, 300));
    writeFileSync(join(logs, 'agent.4.log'), line(9999));
    writeFileSync(join(logs, 'notes.txt'), 'not a log');
    const tail = await readLogTail(userData);
    expect(tail.files).toEqual(['main.2.log', 'main.3.log', 'main.10.log']);
    expect(Buffer.byteLength(tail.text)).toBeLessThanOrEqual(logTailBytes);
    expect(Buffer.byteLength(tail.text)).toBeGreaterThan(logTailBytes - 2100);
    const messages = tail.text
      .trim()
      .split('\n')
      .map((text) => (JSON.parse(text) as { msg: string }).msg);
    expect(messages.at(-1)).toBe('entry 2299');
    expect(messages).toContain('entry 1000');
    expect(messages).not.toContain('entry 9999');
    // Consecutive entries: the partial first line is left out, not counted as damage.
    const numbers = messages.map((msg) => Number(msg.split(' ')[1]));
    expect(numbers[0]).toBeGreaterThan(0);
    expect(tail.linesLeftOut).toBe(0);
  });

  it('redacts every line again and leaves out a line that is not JSON', async () => {
    const userData = dataFolder();
    const logs = join(userData, 'logs');
    mkdirSync(logs);
    // As an older build could have written it, past today's allow-list.
    writeFileSync(
      join(logs, 'main.1.log'),
      `${JSON.stringify({ level: 40, msg: 'bind ldaps://svc:Hunter2@dc1 failed', password: 'Hunter3', deep: { apiKey: 'Hunter4' } })}\n` +
        'plain text with password=Hunter5\n' +
        // No newline at the end of the last entry.
        JSON.stringify({ level: 30, msg: 'last' }),
    );
    const tail = await readLogTail(userData);
    expect(tail.text).not.toMatch(/Hunter\d/);
    expect(tail.linesLeftOut).toBe(1);
    expect(
      tail.text
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text)),
    ).toEqual([
      {
        level: 40,
        msg: 'bind ldaps://svc:[redacted]@dc1 failed',
        password: '[redacted]',
        deep: { apiKey: '[redacted]' },
      },
      { level: 30, msg: 'last' },
    ]);
  });

  it('reads what the real logger wrote, and nothing when there is no log', async () => {
    const userData = dataFolder();
    expect(await readLogTail(userData)).toEqual({ text: '', files: [], linesLeftOut: 0 });
    const log = await createLog({ file: { dir: join(userData, 'logs'), name: 'main' } });
    log.info({ channel: 'app:info', outcome: 'ok' }, 'ipc');
    const tail = await readLogTail(userData);
    expect(tail.files).toEqual(['main.1.log']);
    expect(JSON.parse(tail.text)).toMatchObject({
      level: 30,
      msg: 'ipc',
      channel: 'app:info',
      outcome: 'ok',
    });
  });
});
