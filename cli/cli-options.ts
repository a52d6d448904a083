import { InvalidArgumentError, Option } from 'commander';

/**
 * One option of a command: how commander declares it, and how its parsed value is read back typed. Commands
 * declare a record of these, so each command's values have a type derived from its own declaration.
 */
export interface OptionSpec<T> {
  /** The key commander stores the value under (`--password-stdin` → passwordStdin, `--no-x` → x). */
  readonly attribute: string;
  create(): Option;
  read(raw: unknown): T;
}

export type OptionSpecs = Record<string, OptionSpec<unknown>>;
export type ValuesOf<S extends OptionSpecs> = {
  [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never;
};

function spec<T>(create: () => Option, read: (raw: unknown) => T): OptionSpec<T> {
  let attribute: string | undefined;
  return {
    get attribute() {
      attribute ??= create().attributeName();
      return attribute;
    },
    create,
    read,
  };
}

const asText = (raw: unknown) => (typeof raw === 'string' ? raw : undefined);

/** A switch; `--no-…` switches read true when given. */
export function flag(flags: string, description: string): OptionSpec<boolean> {
  const negated = /(^|\s)--no-/.test(flags);
  return spec(
    () => new Option(flags, description),
    (raw) => (negated ? raw === false : raw === true),
  );
}

export function text(flags: string, description: string): OptionSpec<string | undefined> {
  return spec(() => new Option(flags, description), asText);
}

export function requiredText(flags: string, description: string): OptionSpec<string> {
  return spec(
    () => new Option(flags, `${description} (required)`).makeOptionMandatory(),
    (raw) => asText(raw) ?? '',
  );
}

/** Repeatable: every occurrence adds a value. */
export function repeated(flags: string, description: string): OptionSpec<string[]> {
  return spec(
    () =>
      new Option(flags, `${description} (repeatable)`).argParser((value: string, previous?: string[]) => [
        ...(previous ?? []),
        value,
      ]),
    (raw) => (Array.isArray(raw) ? raw.filter((item): item is string => typeof item === 'string') : []),
  );
}

export function wholeNumber(
  flags: string,
  description: string,
  max = Number.MAX_SAFE_INTEGER,
): OptionSpec<number | undefined> {
  return spec(
    () =>
      new Option(flags, description).argParser((value: string) => {
        const number = Number(value);
        if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number <= 0) {
          throw new InvalidArgumentError('It needs a whole number.');
        }
        if (number > max) throw new InvalidArgumentError(`It must be at most ${max}.`);
        return number;
      }),
    (raw) => (typeof raw === 'number' ? raw : undefined),
  );
}

/** One of `choices` (a zod enum's options), or undefined when not given. */
/** A TCP port, 1-65535: anything else is a usage error before any connection is tried. */
export const tcpPort = (flags: string, description: string) => wholeNumber(flags, description, 65_535);

export function oneOf<C extends string>(
  flags: string,
  description: string,
  choices: readonly C[],
): OptionSpec<C | undefined> {
  return spec(
    () => new Option(flags, description).choices(choices),
    (raw) => choices.find((choice) => choice === raw),
  );
}

/** One of `choices`, with a default commander shows in the help. */
export function oneOfOr<C extends string>(
  flags: string,
  description: string,
  choices: readonly C[],
  fallback: C,
): OptionSpec<C> {
  return spec(
    () => new Option(flags, description).choices(choices).default(fallback),
    (raw) => choices.find((choice) => choice === raw) ?? fallback,
  );
}
