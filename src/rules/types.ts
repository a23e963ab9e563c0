/**
 * What a detection rule is: data plus proof, no I/O.
 *
 * A rule names distinctive literal keywords (found by the engine's one-pass prefilter) and a pattern
 * that is run only near those keywords. The pattern captures the credential in a named group `secret`
 * and uses bounded quantifiers only (a contract test rejects anything else).
 */

/** What a credential opens: the blast radius a rule declares. */
export type CredentialClass =
  | 'model-api'
  | 'inference'
  | 'fine-tuning'
  | 'vector-store'
  | 'agent-tool'
  | 'ml-platform'
  | 'cloud-ai'
  | 'observability';

export const CREDENTIAL_CLASSES = [
  'model-api',
  'inference',
  'fine-tuning',
  'vector-store',
  'agent-tool',
  'ml-platform',
  'cloud-ai',
  'observability',
] as const satisfies readonly CredentialClass[];

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Ordered from least to most severe; `SEVERITIES.indexOf` compares severities. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly Severity[];

/**
 * How the engine applies a rule's pattern around a keyword hit.
 * - `prefix`: the secret starts with the keyword (`sk-proj-`, `ghp_`). The pattern is run sticky at the
 *   hit, and a hit glued to a preceding identifier character (`task_sk_…`) is dropped before any regex.
 * - `window`: the pattern is searched in a window around the hit (context rules such as
 *   `COHERE_API_KEY=…`, or a keyword in the middle of the secret such as OpenAI's `T3BlbkFJ`).
 */
export type RuleAnchor = 'prefix' | 'window';

/** A positive example: a line of text and the exact secret the engine must report in it. */
export interface PositiveExample {
  text: string;
  secret: string;
}

export interface RuleExamples {
  /** Texts that must yield this rule with exactly `secret`. */
  positive: PositiveExample[];
  /** Near misses that must not yield this rule: too short, wrong suffix, placeholder, a sibling type. */
  negative: string[];
}

export interface Rule {
  /** `<family>.<kind>`, e.g. `openai.project-key`. Stable: baselines and the inventory refer to it. */
  id: string;
  /** Provider family, the folder name under `src/rules/`. */
  provider: string;
  /** Human name of the credential kind, e.g. `OpenAI project API key`. */
  title: string;
  class: CredentialClass;
  severity: Severity;
  /** Lower-case ASCII literals, each at least 3 characters, that must occur for this rule to fire. */
  keywords: readonly string[];
  anchor: RuleAnchor;
  /** Must contain the named group `secret`; bounded quantifiers only; no `g`/`y` flags (the engine adds them). */
  pattern: RegExp;
  /**
   * For `window` rules: how far (in characters) before and after a keyword hit the pattern may match.
   * The window is also cut at line ends unless `multiline` is set. Defaults: 160 before, 256 after.
   */
  window?: { before: number; after: number; multiline?: boolean };
  /**
   * For `window` rules: the shape of the bare secret with its boundaries, e.g.
   * `/(?<![A-Za-z0-9_-])[a-f0-9]{32}(?![A-Za-z0-9_-])/`. When set, the engine first looks for values of
   * this shape in the keyword windows (a cheap scan) and runs `pattern`, with its costly context, only
   * within `window.before`/`window.after` of each value. Every secret the pattern captures must match it.
   */
  valueShape?: RegExp;
  /**
   * Literal prefix of the secret that may be shown in redacted previews (`sk-proj-`); the default is the
   * longest keyword the secret starts with, or nothing.
   */
  visiblePrefix?: string;
  /** Structural check of the captured secret: checksum, embedded marker, decodable payload. */
  validate?: (secret: string) => boolean;
  /** Minimum Shannon entropy (bits per character) of the secret after its visible prefix. */
  minEntropy?: number;
  /** Where the owner revokes this kind of credential. */
  revokeUrl?: string;
  /**
   * A fresh, valid-looking credential of this kind for `seed` (the secret only, no context), used to plant
   * keys in the labelled corpus and the benchmark. Deterministic for a given seed.
   */
  sample: (seed: string) => string;
  /** Generated at test time so no whole-looking key is ever committed. */
  examples: () => RuleExamples;
}

/** A rule family: one folder under `src/rules/`. */
export interface RuleFamily {
  /** Folder name, e.g. `openai`. */
  id: string;
  rules: readonly Rule[];
}
