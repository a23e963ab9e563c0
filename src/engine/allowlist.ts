import { minimatch } from 'minimatch';

/**
 * Values that cannot be real credentials, and the ways a user suppresses a finding. Every check here
 * applies to every rule; rules own only their formats.
 */

const PLACEHOLDER_WORDS = [
  'xxxx',
  'your',
  'example',
  'placeholder',
  'redacted',
  'dummy',
  'changeme',
  'replace',
];
/**
 * A placeholder word is written in one case (`your`, `YOUR`, `Your`); a mixed-case run like `yOuR` in a
 * random key is chance, and keeping it lets letters-only keys (Hugging Face) through: the chance that a
 * real key contains one of these words in one of these cases is about 1 in 40,000.
 */
const PLACEHOLDER_FORMS = PLACEHOLDER_WORDS.flatMap((word) => [
  word,
  word.toUpperCase(),
  word[0]!.toUpperCase() + word.slice(1),
]);
const PLACEHOLDER_MARKS = ['<', '>', '…', '...', '***', '${', '{{', '$('];
const ASCENDING = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

/**
 * True for values that are placeholders rather than keys: `sk-proj-xxxxxxxx…`, `your-key-here`, `<KEY>`,
 * truncated `…` forms, masked `****`, documented example keys (`…EXAMPLE`), runs of one character and
 * keyboard-walk sequences. `body` is the secret after its public prefix.
 */
export function isPlaceholder(secret: string, body: string): boolean {
  // Long values (PEM keys, JWTs) are checked for marks only: a real 1,700-character key contains
  // some four-letter word by chance.
  if (body.length <= 200 && PLACEHOLDER_FORMS.some((word) => body.includes(word))) return true;
  if (PLACEHOLDER_MARKS.some((mark) => secret.includes(mark))) return true;
  if (secret.includes('EXAMPLE')) return true;
  if (/(.)\1{5}/.test(body)) return true;
  const lowerBody = body.toLowerCase();
  for (let i = 0; i + 8 <= Math.min(lowerBody.length, 200); i++) {
    const window = lowerBody.slice(i, i + 8);
    if (ASCENDING.includes(window) || DIGITS.includes(window)) return true;
  }
  if (body.length >= 16 && new Set(body).size <= 4) return true;
  return false;
}

const REFERENCE_BEFORE =
  /(?:\$\{?|\{\{\s{0,4}|%|secrets\.|env\.|environ\[\s{0,4}["']?|getenv\(\s{0,4}["']?)$/;

/**
 * True when the match is the name of a variable rather than its value: `${{ secrets.X }}`,
 * `process.env.X`, `os.environ["X"]`, `os.getenv("X")`, `$X`, `%X%`, `{{ X }}`.
 */
export function isVariableReference(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 24), start);
  return REFERENCE_BEFORE.test(before);
}

/** The inline suppression comment: a finding on a line containing it is not reported. */
export const INLINE_ALLOW = 'keywarden:allow';

/** True when `path` matches one of the minimatch `globs` (dot files included). */
export function isIgnoredPath(path: string, globs: readonly string[]): boolean {
  return globs.some((glob) => minimatch(path, glob, { dot: true, matchBase: !glob.includes('/') }));
}
