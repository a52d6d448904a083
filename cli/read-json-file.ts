import { readFile, stat } from 'node:fs/promises';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { fail, ok, type Result } from '../shared/common/result';

const maxBytes = 64 * 1024 * 1024;

/** Reads a JSON file named on the command line; every failure is an AppError that names the file. */
export async function readJsonFile(path: string): Promise<Result<unknown>> {
  try {
    const info = await stat(path);
    if (info.size > maxBytes) {
      return fail({
        code: AppErrorCode.inputInvalid,
        message: `The file ${path} is too large to be a connections export (${info.size} bytes).`,
        hint: 'Check that you chose the right file.',
      });
    }
    return ok(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    return fail({
      code: AppErrorCode.inputInvalid,
      message:
        error instanceof SyntaxError
          ? `The file ${path} is not valid JSON.`
          : `The file ${path} could not be read.`,
      hint: errno === 'ENOENT' ? 'Check the path.' : 'Choose a file made with "connections export".',
      detail: { file: path, ...(errno ? { errno } : {}) },
    });
  }
}
