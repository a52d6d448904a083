import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLog } from './create-log';

const newDir = () => mkdtempSync(join(tmpdir(), 'cu-logs-'));
const numberOf = (name: string) => Number(name.split('.')[1]);
const logFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => /^main\.\d+\.log$/.test(name))
    .sort((a, b) => numberOf(a) - numberOf(b));
const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** pino-roll deletes the oldest files after a roll, asynchronously: wait until that has caught up. */
async function settled(dir: string, files: number): Promise<string[]> {
  for (let tries = 0; tries < 200 && logFiles(dir).length > files; tries += 1)
    await new Promise((done) => setTimeout(done, 10));
  return logFiles(dir);
}

function sink() {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => written.join('') };
}

describe('createLog: rotated files', () => {
  it('keeps the files under the cap, the oldest deleted, every entry redacted and 0600', async () => {
    const dir = newDir();
    const log = await createLog({ file: { dir, name: 'main', maxBytes: 2000, keep: 2 } });
    // One burst in one tick: the roll must not wait for the next turn of the event loop.
    for (let n = 0; n < 200; n += 1) log.info({ password: `pw-${n}` }, `entry ${n}`);
    const files = await settled(dir, 3);
    expect(files).toHaveLength(3);
    // The newest files survive: consecutive numbers ending with the one being written.
    const numbers = files.map(numberOf);
    expect(numbers).toEqual([numbers[0], (numbers[0] ?? 0) + 1, (numbers[0] ?? 0) + 2]);
    expect(numbers[0]).toBeGreaterThan(1);
    const longest = Math.max(
      ...files.flatMap((name) =>
        readFileSync(join(dir, name), 'utf8')
          .split('\n')
          .map((line) => Buffer.byteLength(line) + 1),
      ),
    );
    for (const name of files) {
      const path = join(dir, name);
      // A file ends with the first entry that reaches the cap.
      expect(statSync(path).size).toBeLessThan(2000 + longest);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const text = readFileSync(path, 'utf8');
      expect(text).not.toMatch(/pw-\d/);
      // A name that says a secret follows is counted, not written (it could be `password_<the password>`).
      for (const entry of lines(text)) expect(entry).toMatchObject({ droppedUnlisted: 1 });
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const last = lines(readFileSync(join(dir, files.at(-1) ?? ''), 'utf8')).at(-1);
    expect(last).toMatchObject({ level: 30, msg: 'entry 199' });
  });

  it('writes only the fields it knows: an unknown field holding a secret never reaches the file (rule 8)', async () => {
    const dir = newDir();
    const log = await createLog({
      file: { dir, name: 'main' },
      now: () => new Date('2030-01-02T03:04:05.000Z'),
    });
    const marker = 'Zq9-MARKER-s3cret';
    const failure = Object.assign(new Error(`bind failed for ldap://svc:${marker}@dc1`), { detail: marker });
    log.warn(
      {
        channel: 'settings:save',
        outcome: 'failed',
        errorCode: 'input.invalid',
        ms: 1.5,
        payload: { secret: marker },
        bindDn: marker,
        request: marker,
        clientSecret: marker,
        newFieldNobodyThoughtOf: `password=${marker}`,
        error: failure,
      },
      'ipc',
    );
    const text = readFileSync(join(dir, 'main.1.log'), 'utf8');
    expect(text).not.toContain(marker);
    expect(JSON.parse(text)).toEqual({
      time: '2030-01-02T03:04:05.000Z',
      level: 40,
      pid: process.pid,
      msg: 'ipc',
      channel: 'settings:save',
      outcome: 'failed',
      errorCode: 'input.invalid',
      ms: 1.5,
      error: { name: 'Error', message: 'bind failed for ldap://svc:[redacted]@dc1' },
      dropped: ['payload', 'bindDn', 'request', 'newFieldNobodyThoughtOf'],
      // clientSecret: a name that says a secret follows is counted, not written.
      droppedUnlisted: 1,
    });
  });

  it('redacts the message, its arguments and a bare error', async () => {
    const dir = newDir();
    const log = await createLog({ file: { dir, name: 'main' } });
    const marker = 'Zq9-MARKER-s3cret';
    log.info(`connect ldaps://svc:${marker}@dc1.contoso.com:636 failed`);
    log.info('sent %s', `Authorization: Bearer ${marker}`);
    log.error(new Error(`password=${marker}`));
    log.warn({ err: new Error(`token=${marker}`) }, 'pino’s own name for an error');
    const text = readFileSync(join(dir, 'main.1.log'), 'utf8');
    expect(text).not.toContain(marker);
    const [url, bearer, bare, err] = lines(text);
    expect(url?.msg).toBe('connect ldaps://svc:[redacted]@dc1.contoso.com:636 failed');
    expect(bearer?.msg).toBe('sent Authorization: Bearer [redacted]');
    expect(bare).toMatchObject({ level: 50, error: { name: 'Error', message: 'password=[redacted]' } });
    expect(err).toMatchObject({ error: { name: 'Error', message: 'token=[redacted]' } });
    expect(err).not.toHaveProperty('err');
  });

  it('never writes the raw message of an error logged as { err } without a message of its own', async () => {
    const dir = newDir();
    const log = await createLog({ file: { dir, name: 'main' } });
    const marker = 'Zq9-MARKER-s3cret';
    log.error({ err: new Error(`password=${marker}`) });
    log.error({ err: { message: `token=${marker}` }, channel: 'app:info' });
    log.error({ err: new Error(`password=${marker}`), error: new Error('the one kept') });
    const text = readFileSync(join(dir, 'main.1.log'), 'utf8');
    expect(text).not.toContain(marker);
    const [error, notAnError, both] = lines(text);
    expect(error).toMatchObject({ error: { name: 'Error', message: 'password=[redacted]' } });
    expect(notAnError).toMatchObject({
      channel: 'app:info',
      error: { name: 'non-error', message: 'object' },
    });
    expect(both).toMatchObject({ error: { name: 'Error', message: 'the one kept' } });
    for (const entry of [error, notAnError, both]) expect(entry).not.toHaveProperty('err');
  });

  it('formats an argument nested past the depth it checks without its secrets', async () => {
    const dir = newDir();
    const log = await createLog({ file: { dir, name: 'main' } });
    const marker = 'Zq9-MARKER-s3cret';
    let deep: Record<string, unknown> = { password: marker, list: [{ apiKey: marker }] };
    for (let level = 0; level < 12; level += 1) deep = { level: deep };
    log.info('x %j', deep);
    log.info({ channel: 'app:info' }, 'y %o', [[[[[[[[[[{ token: marker }]]]]]]]]]]);
    const text = readFileSync(join(dir, 'main.1.log'), 'utf8');
    expect(text).not.toContain(marker);
    expect(text).toContain('[too deep]');
  });

  it('names a dropped field only when the name is a short identifier that names no secret', async () => {
    const dir = newDir();
    const log = await createLog({ file: { dir, name: 'main' } });
    const marker = 'Zq9-MARKER-s3cret';
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, n) => [`extra${n}`, n]));
    log.info({
      [marker]: true,
      [`eyJhbGciOiJSUzI1NiJ9.${marker}`]: 1,
      [`password=${marker}`]: 1,
      a_very_long_field_name_of_40_characters_x: 1,
      userPassword: 'x',
      // A name built from a secret: an identifier, but it says a secret follows.
      token_Zq9MARKERs3cret: 1,
      note: 'kept as a name',
      ...many,
    });
    const text = readFileSync(join(dir, 'main.1.log'), 'utf8');
    expect(text).not.toContain(marker);
    expect(text).not.toContain('Zq9MARKERs3cret');
    const [entry] = lines(text);
    expect(entry?.dropped).toEqual(['note', ...Object.keys(many).slice(0, 19)]);
    // The marker, the JWT, the pair, the long name, userPassword, the token_ name and the names past the first 20.
    expect(entry?.droppedUnlisted).toBe(6 + 6);
  });

  it('has the entry on disk when the call returns: an exit right after it loses nothing', async () => {
    const dir = newDir();
    const log = await createLog({ file: { dir, name: 'main' } });
    log.info({ channel: 'app:info' }, 'just before exit');
    expect(readFileSync(join(dir, 'main.1.log'), 'utf8')).toContain('just before exit');
  });

  it('goes on in the newest file after a restart, narrowing one others could read to 0600', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'main.3.log'), '{"msg":"before"}\n');
    chmodSync(join(dir, 'main.3.log'), 0o644);
    const log = await createLog({ file: { dir, name: 'main' } });
    log.info('after');
    expect(logFiles(dir)).toEqual(['main.3.log']);
    expect(statSync(join(dir, 'main.3.log')).mode & 0o777).toBe(0o600);
    expect(lines(readFileSync(join(dir, 'main.3.log'), 'utf8')).map((entry) => entry.msg)).toEqual([
      'before',
      'after',
    ]);
  });

  it('narrows a logs folder others could read to 0700', async () => {
    const dir = join(newDir(), 'logs');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const log = await createLog({ file: { dir, name: 'main' } });
    log.info('after');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('deletes the files of the logger before pino (main.log, main.log.1 …), and nobody else’s', async () => {
    const dir = newDir();
    const old = ['main.log', 'main.log.1', 'main.log.4'];
    const others = ['agent.log', 'main.log.bak', 'notes.txt', 'main.1.log'];
    for (const name of [...old, ...others]) writeFileSync(join(dir, name), '{"msg":"old entry"}\n');
    const log = await createLog({ file: { dir, name: 'main' } });
    log.info('after');
    expect(readdirSync(dir).sort()).toEqual([...others].sort());
  });

  it('still starts when the folder cannot be written, and says so on its other streams', async () => {
    const blocker = join(newDir(), 'not-a-folder');
    writeFileSync(blocker, '');
    const other = sink();
    const log = await createLog({
      file: { dir: join(blocker, 'logs'), name: 'main' },
      alsoTo: [other.stream],
    });
    log.info({ channel: 'app:info' }, 'still logged');
    await new Promise((done) => setImmediate(done));
    expect(lines(other.text()).map((entry) => entry.msg)).toEqual([
      `the log folder ${join(blocker, 'logs')} cannot be written`,
      'still logged',
    ]);
  });
});
