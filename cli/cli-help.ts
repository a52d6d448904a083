import { Command, Help } from 'commander';

/** Help is wrapped to this width (or a narrower terminal's), so no line of it is wider. */
export const helpWidth = 100;

/**
 * The top-level help lists every command with its group (`ad test`, `entra test`, …) instead of only the
 * groups, and the commands of one word (`diagnose`) as they are, so a newcomer sees at once what the CLI can do;
 * the groups' own help stays commander's.
 */
class CliHelp extends Help {
  private listingAll = false;

  override formatHelp(cmd: Command, helper: Help): string {
    this.listingAll = cmd.parent === null;
    return super.formatHelp(cmd, helper);
  }

  override visibleCommands(cmd: Command): Command[] {
    if (!this.listingAll) return super.visibleCommands(cmd);
    // A group lists its commands; a command of one word (no subcommands) lists itself.
    return cmd.commands.flatMap((group) => (group.commands.length > 0 ? group.commands : [group]));
  }

  override subcommandTerm(cmd: Command): string {
    const term = super.subcommandTerm(cmd);
    return this.listingAll && cmd.parent?.parent ? `${cmd.parent.name()} ${term}` : term;
  }
}

/** A commander Command whose subcommands (created with .command()) share its help. */
export class CliProgram extends Command {
  override createCommand(name?: string): Command {
    return new CliProgram(name);
  }

  override createHelp(): Help {
    return Object.assign(new CliHelp(), this.configureHelp());
  }
}
