import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentLog } from './agent-log';
import { killAgents, startAgent } from './fixtures/agent-process';

afterEach(killAgents);
const parsed = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the Remote Agent log (rule 8)', () => {
  it('writes only allow-listed fields, the same lines to stderr and to its rotated file', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'cu-agent-log-'));
    const log = await createAgentLog(dataDir, sink);
    const marker = 'Zq9-MARKER-s3cret';
    log.warn(
      {
        method: 'PUT',
        url: '/api/connections/contoso.test',
        status: 401,
        body: { secret: marker },
        apiKey: marker,
      },
      'refused: missing or wrong API key',
    );
    log.info(
      { url: `http://svc:${marker}@127.0.0.1:40002`, dataDir: '/srv/agent' },
      'Remote Agent listening',
    );
    log.warn({ code: 'entra.invalidCredentials', error: new Error(`password=${marker}`) }, 'request failed');
    await new Promise((done) => setImmediate(done));
    const text = lines.join('');
    const file = readFileSync(join(dataDir, 'logs', 'agent.1.log'), 'utf8');
    expect(file).toBe(text);
    expect(text).not.toContain(marker);
    expect(statSync(join(dataDir, 'logs', 'agent.1.log')).mode & 0o777).toBe(0o600);
    const [refused, listening, failed] = parsed(text);
    expect(refused).toMatchObject({
      level: 40,
      msg: 'refused: missing or wrong API key',
      method: 'PUT',
      url: '/api/connections/contoso.test',
      status: 401,
      dropped: ['body'],
      droppedUnlisted: 1,
    });
    expect(listening).toMatchObject({ url: 'http://svc:[redacted]@127.0.0.1:40002', dataDir: '/srv/agent' });
    expect(failed).toMatchObject({
      code: 'entra.invalidCredentials',
      error: { name: 'Error', message: 'password=[redacted]' },
    });
  });

  it('the running agent logs to logs/agent.<n>.log in its data folder, all of it there after SIGTERM', {
    timeout: 20_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cu-agent-log-run-'));
    const agent = await startAgent(['--port', '0', '--data', dataDir]);
    const { ready } = agent;
    // stdout still carries exactly the start-up line.
    expect(ready).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), dataDir });
    const wrongKey = 'Zq9-MARKER-not-the-key';
    const refused = await fetch(`${ready.url}/api/connections`, {
      headers: { authorization: `Bearer ${wrongKey}` },
    });
    expect(refused.status).toBe(401);
    expect(await agent.stop()).toBe(0);

    const files = readdirSync(join(dataDir, 'logs'));
    expect(files).toEqual(['agent.1.log']);
    const text = readFileSync(join(dataDir, 'logs', 'agent.1.log'), 'utf8');
    expect(statSync(join(dataDir, 'logs', 'agent.1.log')).mode & 0o777).toBe(0o600);
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain(readFileSync(join(dataDir, 'api-key'), 'utf8').trim());
    expect(parsed(text)).toEqual([
      expect.objectContaining({ level: 30, msg: 'Remote Agent listening', url: ready.url, dataDir }),
      expect.objectContaining({
        level: 40,
        msg: 'refused: missing or wrong API key',
        method: 'GET',
        url: '/api/connections',
        status: 401,
      }),
    ]);
  });
});
