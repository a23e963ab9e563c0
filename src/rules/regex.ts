/**
 * Builders for rule patterns. Every quantifier they emit is bounded, so a rule built from them cannot
 * backtrack catastrophically; the contract test checks the final pattern of every rule anyway.
 */

/** Character-class bodies (without brackets) used by rule patterns. */
export const CHARS = {
  alnum: 'A-Za-z0-9',
  alnumLower: 'a-z0-9',
  alnumUpper: 'A-Z0-9',
  hexLower: 'a-f0-9',
  hex: 'a-fA-F0-9',
  base64url: 'A-Za-z0-9_-',
  base64: 'A-Za-z0-9+/',
} as const;

/** Characters that continue a token: a secret must not be glued to one on either side. */
export const TOKEN_CHAR = '[A-Za-z0-9_-]';

/** Escapes a literal for use inside a pattern. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Case-insensitive literal without the `i` flag (so the value part stays case-sensitive): `[Cc][Oo]…`. */
export function anyCase(text: string): string {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    out += lower === upper ? literal(ch) : `[${upper}${lower}]`;
  }
  return out;
}

export interface PrefixedOptions {
  /** Pattern source appended after the body, still inside the secret (e.g. `AA` for Anthropic). */
  suffix?: string;
  /** Characters that may not follow the secret (default: any token character). */
  notFollowedBy?: string;
  flags?: string;
}

/**
 * A secret that starts with a literal prefix: `prefixed('sk-proj-', '[A-Za-z0-9_-]{74,200}')`
 * → `(?<secret>sk-proj-[A-Za-z0-9_-]{74,200})(?![A-Za-z0-9_-])`.
 */
export function prefixed(
  prefix: string | readonly string[],
  body: string,
  options: PrefixedOptions = {},
): RegExp {
  const prefixes = typeof prefix === 'string' ? [prefix] : prefix;
  const head = prefixes.length === 1 ? literal(prefixes[0]!) : `(?:${prefixes.map(literal).join('|')})`;
  const after = options.notFollowedBy ?? TOKEN_CHAR;
  return new RegExp(`(?<secret>${head}${body}${options.suffix ?? ''})(?!${after})`, options.flags ?? '');
}

/**
 * The separator between a name and its value in the formats we scan: `=`, `:`, `:=`, `=>`, `->` or a
 * space (`ENV NAME value`), with optional quotes around the name and the value, JSON-escaped quotes
 * (`\"name\": \"value\"`) and Python string prefixes (`r"…"`).
 */
const ASSIGN = `(?:\\\\{0,3}["'\`])?\\]?\\s{0,4}(?::=|=>|->|[=:]|\\s)\\s{0,4}(?:[rRbBfFuU]?\\\\{0,3}["'\`])?`;

export interface AssignedOptions {
  /** Extra characters allowed in the variable name around the provider name (default `[A-Za-z0-9_.-]`). */
  nameChars?: string;
  /** Longest run of name characters between the provider name and the separator. */
  nameTail?: number;
  notFollowedBy?: string;
}

/**
 * A value assigned to a variable or key whose name contains `name` (matched in any case):
 * `assigned('cohere', '[A-Za-z0-9]{40}')` matches `COHERE_API_KEY="…"`, `cohere_key: …`,
 * `"cohereApiKey": "…"`. The match starts at the provider name, never before it, so the pattern stays
 * linear on adversarial input.
 */
export function assigned(
  name: string | readonly string[],
  value: string,
  options: AssignedOptions = {},
): RegExp {
  const names = typeof name === 'string' ? [name] : name;
  const nameSource = names.length === 1 ? anyCase(names[0]!) : `(?:${names.map(anyCase).join('|')})`;
  const tail = `[${options.nameChars ?? 'A-Za-z0-9_.-'}]{0,${options.nameTail ?? 40}}`;
  const after = options.notFollowedBy ?? TOKEN_CHAR;
  return new RegExp(`${nameSource}${tail}${ASSIGN}(?<secret>${value})(?!${after})`);
}

/**
 * A `valueShape` for a window rule: the bare secret `value` standing as its own token. `before` are the
 * characters that may not precede it, `after` those that may not follow it. A shape only picks candidates
 * for the rule's pattern (the engine checks boundaries exactly afterwards), so it errs on the side of
 * letting through: `m`, `n`, `r` and `t` may precede a value, for `\n`-style escapes and terminal colour
 * codes (`\u001b[31m`) right before a key. A plain negative class keeps the scan as cheap as V8 allows.
 *
 * @example bare('[a-f0-9]{32}') // for a 32-hex key named by its context
 */
export function bare(value: string, before = 'A-Za-z0-9_-', after = before): RegExp {
  const glued = before.replace('a-z', 'a-lo-qsu-z');
  return new RegExp(`(?<![${glued}])(?:${value})(?![${after}])`);
}
