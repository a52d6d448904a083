import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../common/errors/app-error';
import { assertPrivateFile, chmodLine, exposedMode, openPrivateFolder } from './private-folder';

// Rule 8: at rest, the data folder and the files holding secrets are the user's alone. Tests run as root,
// which reads anything: these check the mode bits, not what another account could open.

const posix = process.platform !== 'win32';
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe.runIf(posix)('private folder and files', () => {
  it('openPrivateFolder creates the folder 0700, and makes an existing open one 0700', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'cu-private-'));
    await openPrivateFolder(join(parent, 'new', 'data'));
    expect(modeOf(join(parent, 'new', 'data'))).toBe(0o700);

    const existing = join(parent, 'existing');
    mkdirSync(existing, { mode: 0o755 });
    chmodSync(existing, 0o755);
    await openPrivateFolder(existing);
    expect(modeOf(existing)).toBe(0o700);
  });

  it('assertPrivateFile refuses a file group or others can read, with the chmod line, and accepts 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-private-'));
    const file = join(dir, 'connections.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    chmodSync(file, 0o644);
    const error = await assertPrivateFile(file).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).appError).toMatchObject({
      code: 'store.insecurePermissions',
      message: expect.stringContaining(file),
      hint: expect.stringContaining(`chmod 600 '${file}'`),
      detail: { file, mode: '644' },
    });
    chmodSync(file, 0o600);
    await expect(assertPrivateFile(file)).resolves.toBeUndefined();
    await expect(assertPrivateFile(join(dir, 'absent.json'))).resolves.toBeUndefined();
  });

  it('exposedMode and chmodLine: the bits that let others in, and a line a shell runs as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), "cu-it's private "));
    const file = join(dir, 'api-key');
    writeFileSync(file, 'k', { mode: 0o640 });
    chmodSync(file, 0o640);
    expect(await exposedMode(file)).toBe(0o040);
    expect(await exposedMode(join(dir, 'absent'))).toBeNull();
    expect(chmodLine(file, 0o600)).toBe(`chmod 600 '${file.replaceAll("'", "'\\''")}'`);
    expect(chmodLine(dir, 0o700)).toMatch(/^chmod 700 '/);
  });
});
