/** C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F): each can start or be part of a terminal control sequence. */
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

/** Breaks and tabs separate words: they become a space rather than joining the words around them. */
const spacing = new Set([0x09, 0x0a, 0x0d]);

/**
 * Text from outside (an agent's version and problems, a stage's findings, SRV names, rootDSE values, a routes
 * file) as a terminal may show it: control characters removed, so no escape sequence in it can recolour, move
 * the cursor, retitle the window or hide a line. Line breaks become a space: the formatters place their own.
 */
export function terminalSafe(text: string): string {
  let safe = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (!isControl(code)) safe += character;
    else if (spacing.has(code)) safe += ' ';
  }
  return safe;
}
