import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The parent of a process, where the platform tells it cheaply; null where it does not (Windows). */
function parentOf(pid: number): number | null {
  try {
    if (process.platform === 'linux') {
      // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are fixed.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || null;
    }
    if (process.platform === 'darwin') {
      return (
        Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || null
      );
    }
  } catch {
    // The process is gone: no parent to tell.
  }
  return null;
}

/**
 * Calls `onGone` once the command that started this process ends. `npm run demo` starts npm → sh → tsx → this
 * process; a signal sent to npm reaches sh only, sh dies of it, and tsx (which would relay the signal) lives on
 * with this process under it. So the parent and the grandparent are watched: either one leaving (this process,
 * or the parent, given to another parent) means the launcher was stopped.
 */
export function watchLauncher(onGone: () => void, everyMs = 500): () => void {
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  const timer = setInterval(() => {
    const launcherGone =
      process.ppid !== parent || (grandparent !== null && parentOf(parent) !== grandparent);
    if (!launcherGone) return;
    clearInterval(timer);
    onGone();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
