/**
 * CODEOWNERS with GitHub's own semantics ("About code owners", docs.github.com):
 *
 * - One rule per line: a pattern, then zero or more owners (`@user`, `@org/team`, `user@example.com`).
 *   `#` starts a comment at the start of a line or at the start of a word after the pattern; blank lines
 *   are ignored. A pattern with no owners is valid: the paths it matches have no owner.
 * - The last matching rule wins (its owners replace, never add to, earlier ones).
 * - Patterns follow gitignore, with GitHub's exceptions: a leading `/` anchors to the root, and so does a
 *   `/` in the middle; a pattern of one segment (`apps/`, `*.js`, `logs`) matches at any depth; a
 *   trailing `/` matches everything under that directory; a pattern without one matches the path itself
 *   and, when it names a directory, everything under it, except that a final lone `*` (`docs/*`) matches
 *   direct children only; `*` and `?` never cross `/`; a `**` segment matches any number of directories
 *   (leading, middle, or trailing, where it means "everything inside"); `\` escapes the next character;
 *   paths are case-sensitive.
 * - GitHub does not support `!` negation, `[ ]` character ranges or `\#` to escape a leading `#`: such a
 *   line is reported in `errors` and skipped, as GitHub skips it. So is a line with an invalid owner.
 *
 * Matching is a small dynamic programme over path segments: no regular expression is built from the
 * file, so a hostile CODEOWNERS cannot make matching slow.
 */

/** One CODEOWNERS rule: the pattern as written, its owners as written, and its 1-based line. */
export interface CodeownersRule {
  pattern: string;
  owners: string[];
  line: number;
}

/** A line GitHub would reject, and why; the line is skipped. */
export interface CodeownersError {
  line: number;
  message: string;
}

/** The kind of an owner as CODEOWNERS writes it. */
export type OwnerKind = 'user' | 'team' | 'email';

/**
 * Parses a CODEOWNERS file. Never throws: each line GitHub would reject is reported in `errors` and
 * left out of `rules`.
 *
 * @example
 * const { rules, errors } = parseCodeowners('*.js @js-owner\n/docs/ @doctocat\n');
 * ownersFor(rules, 'docs/index.js'); // ['@doctocat']
 */
export function parseCodeowners(text: string): { rules: CodeownersRule[]; errors: CodeownersError[] } {
  const rules: CodeownersRule[] = [];
  const errors: CodeownersError[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const parsed = parseLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (parsed === undefined) continue;
    if ('error' in parsed) errors.push({ line, message: parsed.error });
    else rules.push({ pattern: parsed.pattern, owners: parsed.owners, line });
  }
  return { rules, errors };
}

/**
 * The owners of `path` (relative to the repository root, `/`-separated): those of the last rule whose
 * pattern matches, `[]` when none matches or the last match lists no owners.
 */
export function ownersFor(rules: readonly CodeownersRule[], path: string): string[] {
  const segments = pathSegments(path);
  if (segments.length === 0) return [];
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    const compiled = compilePattern(rule.pattern);
    if ('error' in compiled) continue;
    if (matchesSegments(compiled, segments)) return [...rule.owners];
  }
  return [];
}

/** Whether a CODEOWNERS `pattern` matches `path`; `false` for a pattern GitHub rejects. */
export function patternMatches(pattern: string, path: string): boolean {
  const compiled = compilePattern(pattern);
  const segments = pathSegments(path);
  return !('error' in compiled) && segments.length > 0 && matchesSegments(compiled, segments);
}

/** The kind of a CODEOWNERS owner, or `undefined` when GitHub would reject it. */
export function ownerKind(owner: string): OwnerKind | undefined {
  if (owner.startsWith('@')) {
    const name = owner.slice(1);
    const slash = name.indexOf('/');
    if (slash === -1) return USER.test(name) ? 'user' : undefined;
    return ORG.test(name.slice(0, slash)) && TEAM.test(name.slice(slash + 1)) ? 'team' : undefined;
  }
  return EMAIL.test(owner) ? 'email' : undefined;
}

/** Logins and org names: letters, digits and hyphens; managed (EMU) logins add `_shortcode`. */
const USER = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const ORG = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const TEAM = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
const EMAIL = /^[^\s@]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;

type ParsedLine = { pattern: string; owners: string[] } | { error: string };

/** One line: `undefined` for a blank or comment line. */
function parseLine(text: string): ParsedLine | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const { pattern, rest } = splitPattern(trimmed);
  const compiled = compilePattern(pattern);
  if ('error' in compiled) return { error: `${compiled.error}: ${pattern}` };

  const owners: string[] = [];
  for (const word of rest.split(/[ \t]/)) {
    if (word === '') continue;
    if (word.startsWith('#')) break;
    if (ownerKind(word) === undefined)
      return { error: `invalid owner ${word}: expected @user, @org/team or an email address` };
    if (!owners.includes(word)) owners.push(word);
  }
  return { pattern, owners };
}

/** The pattern (up to the first unescaped space or tab) and the rest of the line. */
function splitPattern(line: string): { pattern: string; rest: string } {
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') i++;
    else if (ch === ' ' || ch === '\t') return { pattern: line.slice(0, i), rest: line.slice(i + 1) };
  }
  return { pattern: line, rest: '' };
}

/** One character of a segment: a literal, `*` (any run within the segment) or `?` (one character). */
type Token = { literal: string } | 'star' | 'one';

/** A segment: `**` (any number of segments), or a glob over one segment. */
type Segment = 'globstar' | Token[];

/**
 * How the segments must cover the path: `exact` (all of it), `self-or-below` (the path or one of its
 * ancestor directories) or `below` (a proper ancestor directory: trailing `/`, or a trailing `**`).
 */
type Extent = 'exact' | 'self-or-below' | 'below';

interface CompiledPattern {
  segments: Segment[];
  extent: Extent;
}

function compilePattern(pattern: string): CompiledPattern | { error: string } {
  if (pattern.startsWith('!')) return { error: 'negation (!) is not supported in CODEOWNERS' };
  if (pattern.startsWith('\\#')) return { error: 'escaping a leading # is not supported in CODEOWNERS' };
  if (pattern.includes('***')) return { error: 'three consecutive asterisks are not a valid pattern' };
  // `/` alone names the root itself, which is no path; gitignore matches nothing with it.
  if (pattern === '/') return { segments: [], extent: 'exact' };

  const anchored = pattern.startsWith('/');
  const body = anchored ? pattern.slice(1) : pattern;
  const directory = body.endsWith('/') && !isEscaped(body, body.length - 1);
  const parts = splitSegments(directory ? body.slice(0, -1) : body);
  if (parts.length === 0) return { error: 'empty pattern' };

  const segments: Segment[] = [];
  for (const part of parts) {
    const segment = compileSegment(part);
    if (typeof segment === 'string' && segment !== 'globstar') return { error: segment };
    segments.push(segment);
  }
  // gitignore: a pattern with no `/` before its end matches at any depth.
  if (!anchored && parts.length === 1 && segments[0] !== 'globstar') segments.unshift('globstar');

  const last = segments[segments.length - 1]!;
  if (directory) return { segments, extent: 'below' };
  if (last === 'globstar') {
    // `a/**` matches what is inside `a`; `**` alone matches everything.
    if (segments.length === 1) return { segments: [['star' as const]], extent: 'self-or-below' };
    return { segments: [...segments.slice(0, -1), ['star']], extent: 'self-or-below' };
  }
  // GitHub: `docs/*` matches `docs/getting-started.md` but not `docs/build-app/troubleshooting.md`.
  if (last.length === 1 && last[0] === 'star') return { segments, extent: 'exact' };
  return { segments, extent: 'self-or-below' };
}

function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Splits on unescaped `/`, dropping empty segments (`a//b` is `a/b`). */
function splitSegments(body: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') i++;
    else if (body[i] === '/') {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts.filter((part) => part !== '');
}

/** A segment's tokens, `'globstar'` for `**`, or an error message. */
function compileSegment(part: string): Segment | string {
  if (part === '**') return 'globstar';
  const tokens: Token[] = [];
  for (let i = 0; i < part.length; i++) {
    const ch = part[i]!;
    if (ch === '\\') {
      const next = part[i + 1];
      if (next === undefined) return 'a pattern cannot end with a lone backslash';
      tokens.push({ literal: next });
      i++;
    } else if (ch === '[') {
      return 'character ranges ([ ]) are not supported in CODEOWNERS';
    } else if (ch === '*') {
      // Consecutive `*` inside a segment are one `*` (gitignore).
      if (tokens[tokens.length - 1] !== 'star') tokens.push('star');
    } else if (ch === '?') {
      tokens.push('one');
    } else {
      tokens.push({ literal: ch });
    }
  }
  return tokens;
}

function pathSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '' && segment !== '.');
}

/**
 * Whether the pattern's segments cover a prefix of `path` allowed by its extent. `covers[i][j]`: the
 * first `i` pattern segments match the first `j` path segments; `**` covers zero or more segments.
 */
function matchesSegments(pattern: CompiledPattern, path: readonly string[]): boolean {
  const { segments, extent } = pattern;
  if (segments.length === 0) return false;
  const n = path.length;
  let covers: boolean[] = Array.from({ length: n + 1 }, (_, j) => j === 0);
  for (const segment of segments) {
    const next: boolean[] = new Array<boolean>(n + 1).fill(false);
    if (segment === 'globstar') {
      let reached = false;
      for (let j = 0; j <= n; j++) {
        reached ||= covers[j]!;
        next[j] = reached;
      }
    } else {
      for (let j = 1; j <= n; j++) next[j] = covers[j - 1]! && globMatches(segment, path[j - 1]!);
    }
    covers = next;
  }
  if (extent === 'exact') return covers[n]!;
  const lastEnd = extent === 'below' ? n - 1 : n;
  for (let j = 1; j <= lastEnd; j++) if (covers[j]) return true;
  return false;
}

/** Wildcard matching of one segment (`*`, `?`, literals), linear in practice, never exponential. */
function globMatches(tokens: readonly Token[], name: string): boolean {
  let t = 0;
  let s = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (s < name.length) {
    const token = tokens[t];
    if (token === 'star') {
      starAt = t++;
      resumeAt = s;
    } else if (token !== undefined && (token === 'one' || token.literal === name[s])) {
      t++;
      s++;
    } else if (starAt !== -1) {
      t = starAt + 1;
      s = ++resumeAt;
    } else {
      return false;
    }
  }
  while (tokens[t] === 'star') t++;
  return t === tokens.length;
}
