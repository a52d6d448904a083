import { chmod, mkdir, stat } from 'node:fs/promises';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';

// The data folders hold sealed secrets and the keys that open them: only the user's own account may look in.
// POSIX modes only; on Windows the profile folder's ACL already keeps other users out.

const posix = process.platform !== 'win32';

/** The mode bits that let group or others read, write or enter `path`; null when there are none or it is absent. */
export async function exposedMode(path: string): Promise<number | null> {
  if (!posix) return null;
  try {
    const bits = (await stat(path)).mode & 0o077;
    return bits === 0 ? null : bits;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The command that fixes it, quoted for a POSIX shell so it can be pasted as it is (the folder has a space). */
export function chmodLine(path: string, mode: 0o600 | 0o700): string {
  return `chmod ${mode.toString(8)} '${path.replaceAll("'", `'\\''`)}'`;
}

/** Creates the folder, or makes an existing one, 0700. Refuses one it cannot close (another owner's). */
export async function openPrivateFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!posix) return;
  try {
    await chmod(dir, 0o700);
  } catch (error) {
    if ((await exposedMode(dir)) === null) return;
    throw new AppFailure({
      code: AppErrorCode.storeInsecurePermissions,
      message: `The data folder ${dir} is open to other users of this computer and could not be closed.`,
      hint: `As the folder's owner, run "${chmodLine(dir, 0o700)}" and try again.`,
      detail: {
        folder: dir,
        mode: await modeText(dir),
        errno: (error as NodeJS.ErrnoException).code ?? 'unknown',
      },
    });
  }
}

/** Refuses a file holding secrets (the store, a key) that group or others may read; an absent file is fine. */
export async function assertPrivateFile(path: string): Promise<void> {
  if ((await exposedMode(path)) === null) return;
  throw new AppFailure({
    code: AppErrorCode.storeInsecurePermissions,
    message: `${path} can be read by other users of this computer, so it was not opened.`,
    hint: `Run "${chmodLine(path, 0o600)}" and try again.`,
    detail: { file: path, mode: await modeText(path) },
  });
}

/** `644`, as ls and chmod write it. */
async function modeText(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8).padStart(3, '0');
}
