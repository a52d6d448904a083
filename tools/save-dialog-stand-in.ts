import type { FileChooser, SaveFileRequest } from '../shared/node/ipc/file-chooser';

/**
 * The development host's stand-in for Electron's Save dialog. Chromium has no dialog main could own, so the
 * answers come from the test (or from dev-host's --save-as), never from the page.
 */
export class SaveDialogStandIn {
  private readonly answers: (string | null)[] = [];
  /** Every dialog main opened, in order. */
  readonly asked: SaveFileRequest[] = [];

  /** @param fallback the answer when no test queued one: Cancel, unless dev-host was given --save-as. */
  constructor(private readonly fallback: string | null = null) {}

  /** What the admin "chooses" in the next dialog: a path, or null for Cancel. */
  answerNext(answer: string | null): void {
    this.answers.push(answer);
  }

  readonly choose: FileChooser = async (request) => {
    this.asked.push(request);
    return this.answers.length > 0 ? (this.answers.shift() ?? null) : this.fallback;
  };
}
