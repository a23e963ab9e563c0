/**
 * Context rules: credentials with no prefix of their own (a bare 40-character Cohere key, a 40-hex
 * Weights & Biases key) are only found where the provider is named next to them. `namedValue` builds
 * those patterns from `assigned()` and adds what a bare name match gets wrong: identifiers that name a
 * hash or an id (`COHERE_MODEL_SHA`, `WANDB_RUN_ID`), short names glued to a longer word
 * (`taxi_api_key` is not ElevenLabs' `xi_api_key`), and the SDK calls that take the key as an argument.
 */
import { type AssignedOptions, anyCase, assigned, literal, TOKEN_CHAR } from './regex.js';

/**
 * Words that, as a segment of the variable name, say the value is a digest, an identifier or a version
 * rather than a credential. A 40-hex value named `cohere_commit` is a git SHA, not a key.
 */
export const NOT_A_SECRET = [
  'sha',
  'sha1',
  'sha256',
  'md5',
  'commit',
  'hash',
  'digest',
  'checksum',
  'rev',
  'revision',
  'version',
  'etag',
  'uuid',
  'id',
  'ids',
];

export interface NamedValueOptions extends AssignedOptions {
  /**
   * Names that must not continue a longer word on their left (`co_api_key` must not match `taco_api_key`).
   * Every entry must also be in `names`.
   */
  standalone?: readonly string[];
  /** Longer words that start like a name but mean something else (`coherent`, `coherence`). */
  notWords?: readonly string[];
  /**
   * Pattern sources for other ways the key is given, each ending right before the value, e.g. the SDK
   * call `cohere\.Client\(\s{0,4}["']`. They are not subject to the name checks above.
   */
  heads?: readonly string[];
}

/**
 * The window context rules need: the usual reach around the keyword, across line ends so that a key
 * nested under a provider-named parent (`cohere:` / `  api_key: …`, `[cohere]` / `api_key = …`) is seen.
 */
export const CONTEXT_WINDOW = { before: 160, after: 256, multiline: true } as const;

/** Child key names that hold the credential when the provider names the parent. */
const CHILD_KEYS = ['api_key', 'api-key', 'apikey', 'api_token', 'token', 'key', 'secret', 'secret_key'];

/** `a|b|c` of the given words in any case, one alternative per word. */
function anyCaseAlternatives(words: readonly string[]): string {
  return words.map(anyCase).join('|');
}

/** The camel-case form of a word: `sha` → `Sha`. */
function capitalized(word: string): string {
  return word[0]!.toUpperCase() + word.slice(1);
}

/**
 * Negative lookahead, placed where the provider name starts: rejects a name whose identifier (up to the
 * separator) contains one of `NOT_A_SECRET` as a whole segment (`_sha`, `.commit`, `Sha` in camel case).
 */
function notASecretGuard(names: readonly string[]): string {
  const segment = `(?<![A-Za-z])(?:${anyCaseAlternatives(NOT_A_SECRET)})`;
  const camel = `(?<=[a-z])(?:${NOT_A_SECRET.map(capitalized).map(literal).join('|')})`;
  return `(?!(?:${anyCaseAlternatives(names)})[A-Za-z0-9_.-]{0,40}?(?:${segment}|${camel})(?![A-Za-z]))`;
}

/**
 * A quote, possibly escaped: heads end with it so that JSON-escaped code (notebook cells,
 * `"co = cohere.Client(\"…\")"`) matches like plain code.
 */
export const QUOTE = `\\\\?["'\`]`;

/**
 * Name-based heads beyond `assigned()`, all starting at the provider name:
 * - aligned and escaped assignments: `cohere_api_key        = "…"` (Terraform), `\"cohere_api_key\": \"…\"`;
 * - a pair or a default: `os.environ.setdefault("COHERE_API_KEY", "…")`, `os.getenv("COHERE_API_KEY", "…")`;
 * - a JavaScript fallback: `process.env.COHERE_API_KEY || "…"`;
 * - one level of nesting under a parent named after the provider: YAML or pretty-printed JSON
 *   (`cohere:` then `  api_key: …`), TOML or INI tables (`[cohere]` then `api_key = …`), and the one-line
 *   form (`{"cohere": {"api_key": "…"}}`, YAML `cohere: {api_key: …}`).
 */
function namedHeads(names: readonly string[]): string[] {
  const name = `(?:${anyCaseAlternatives(names)})[A-Za-z0-9_.-]{0,40}`;
  const child = `(?:${anyCaseAlternatives(CHILD_KEYS)})`;
  return [
    `${name}\\\\?["'\`]?\\]?[ \\t]{0,40}(?::=|=>|[=:])[ \\t]{0,40}(?:${QUOTE})?`,
    `${name}${QUOTE}[ \\t]{0,4},[ \\t]{0,4}${QUOTE}`,
    `${name}[ \\t]{0,4}(?:\\|\\||\\?\\?)[ \\t]{0,4}${QUOTE}`,
    `${name}["']?[ \\t]{0,4}:[ \\t]{0,4}\\{?[ \\t]{0,4}\\r?\\n[ \\t]{1,16}["']?${child}["']?[ \\t]{0,4}:[ \\t]{0,4}["']?`,
    `${name}\\][ \\t]{0,4}\\r?\\n[ \\t]{0,16}${child}[ \\t]{0,4}=[ \\t]{0,4}["']?`,
    `${name}${QUOTE}?[ \\t]{0,4}:[ \\t]{0,4}\\{[ \\t]{0,4}${QUOTE}?${child}${QUOTE}?[ \\t]{0,4}:[ \\t]{0,4}(?:${QUOTE})?`,
  ];
}

/**
 * A credential `value` given next to one of the provider's `names`: assigned to a variable or key whose
 * name contains it (`COHERE_API_KEY="…"`, `"cohere_api_key": "…"`, `cohere-key: …`), passed as a default
 * or fallback, nested under a provider-named parent (use `CONTEXT_WINDOW` for those), or given through
 * one of `options.heads`. The value class must exclude `$`, `{` and `}` so that `${COHERE_API_KEY}`
 * never matches; the engine also drops variable references.
 *
 * @example namedValue(['cohere', 'co_api_key'], '[A-Za-z0-9]{40}', { standalone: ['co_api_key'] })
 */
export function namedValue(names: readonly string[], value: string, options: NamedValueOptions = {}): RegExp {
  const assignedSource = assigned(names, '', options).source;
  const assignedHead = assignedSource.slice(0, assignedSource.indexOf('(?<secret>'));
  const checks = [notASecretGuard(names)];
  if (options.standalone?.length) {
    checks.push(`(?!(?<=[A-Za-z0-9])(?:${anyCaseAlternatives(options.standalone)}))`);
  }
  if (options.notWords?.length) checks.push(`(?!${anyCaseAlternatives(options.notWords)})`);
  const named = [assignedHead, ...namedHeads(names)].join('|');
  const heads = [`${checks.join('')}(?:${named})`, ...(options.heads ?? [])];
  const after = options.notFollowedBy ?? TOKEN_CHAR;
  return new RegExp(`(?:${heads.join('|')})(?<secret>${value})(?!${after})`);
}
