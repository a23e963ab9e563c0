/** Token boundaries: where a credential may start. Shared by the prefilter and the scan. */

/**
 * True when the character before `position` continues an identifier (`task_sk_…`, `xyzghp_…`), so the
 * match is the middle of a longer token. JSON/C escapes (`\n`, `\t`, `\r`) before a key do not count.
 */
export function isGlued(text: string, position: number): boolean {
  if (position === 0) return false;
  const code = text.charCodeAt(position - 1);
  if (!isIdentifierCode(code)) return false;
  const escaped =
    (code === 110 || code === 116 || code === 114) && position >= 2 && text.charCodeAt(position - 2) === 92;
  return !(escaped || endsAnsiColour(text, position));
}

/** `[A-Za-z0-9_-]` */
export function isIdentifierCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 45
  );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the raw escape character is what a terminal log holds.
const ANSI_COLOUR = /(?:\x1b|\\u001[bB]|\\x1[bB]|\\033|\\e)\[[0-9;]{0,16}m$/;

/**
 * True when a terminal colour code ends right before `position` (`\u001b[38;5;124m` in a notebook
 * traceback, or the raw escape character): the key starts a new token there.
 */
function endsAnsiColour(text: string, position: number): boolean {
  if (text.charCodeAt(position - 1) !== 109) return false;
  return ANSI_COLOUR.test(text.slice(Math.max(0, position - 24), position));
}
