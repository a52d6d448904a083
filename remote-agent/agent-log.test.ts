import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createAgentLog } from './agent-log';

describe('the Remote Agent log (rule 8)', () => {
  it('writes only allow-listed fields: an unknown field holding a secret never reaches the stream', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = createAgentLog(sink);
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
    expect(text).not.toContain(marker);
    const [refused, listening, failed] = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(refused).toMatchObject({
      level: 40,
      msg: 'refused: missing or wrong API key',
      method: 'PUT',
      url: '/api/connections/contoso.test',
      status: 401,
      dropped: ['body', 'apiKey'],
    });
    expect(listening).toMatchObject({ url: 'http://svc:[redacted]@127.0.0.1:40002', dataDir: '/srv/agent' });
    expect(failed).toMatchObject({
      code: 'entra.invalidCredentials',
      error: { name: 'Error', message: 'password=[redacted]' },
    });
  });
});
