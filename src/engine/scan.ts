import type { Rule } from '../rules/types.js';
import { INLINE_ALLOW, isPlaceholder, isVariableReference } from './allowlist.js';
import { isGlued, isIdentifierCode } from './boundary.js';
import { shannonEntropy } from './entropy.js';
import { DEFAULT_FINGERPRINT_KEY, fingerprint } from './fingerprint.js';
import { LineIndex } from './lines.js';
import { notebookImageRanges } from './notebook.js';
import { buildPrefilter, type Prefilter } from './prefilter.js';
import { redact } from './redact.js';
import { Secret } from './secret.js';
import type { DropReason, Finding, Fragment, ScanOptions } from './types.js';
import { type ValueScanner, valueScanner } from './value-scan.js';

/**
 * The detection engine: pure, no I/O. One prefilter pass finds every rule keyword; each rule's pattern
 * then runs only at (prefix rules) or around (window rules) its own keyword hits, never over a file.
 */

const DEFAULT_WINDOW = { before: 160, after: 256, multiline: false };

interface CompiledRule {
  rule: Rule;
  /** Sticky pattern for `prefix` rules, global for `window` rules; both with match indices. */
  regex: RegExp;
  /** Finds values of the rule's `valueShape`: candidates for the context pattern. */
  value: ValueScanner | undefined;
  before: number;
  after: number;
  multiline: boolean;
}

/** Rules prepared for scanning: build once, scan many fragments. */
export interface CompiledRules {
  readonly rules: readonly Rule[];
  readonly prefilter: Prefilter;
  /** Keyword index → indices of the rules that own it. */
  readonly owners: readonly number[][];
  readonly compiled: readonly CompiledRule[];
}

/** Compiles rules and their keyword automaton. Throws when a pattern lacks the `secret` group. */
export function compileRules(rules: readonly Rule[]): CompiledRules {
  const keywordIndex = new Map<string, number>();
  const owners: number[][] = [];
  const compiled = rules.map((rule, index): CompiledRule => {
    if (!rule.pattern.source.includes('(?<secret>')) {
      throw new Error(`rule ${rule.id}: pattern has no named group "secret"`);
    }
    for (const keyword of rule.keywords) {
      const word = keyword.toLowerCase();
      let k = keywordIndex.get(word);
      if (k === undefined) {
        k = owners.length;
        keywordIndex.set(word, k);
        owners.push([]);
      }
      if (!owners[k]!.includes(index)) owners[k]!.push(index);
    }
    const flags = `${rule.pattern.flags.replace(/[gyd]/g, '')}d${rule.anchor === 'prefix' ? 'y' : 'g'}`;
    const window = { ...DEFAULT_WINDOW, ...rule.window };
    return {
      rule,
      regex: new RegExp(rule.pattern.source, flags),
      value: rule.valueShape && valueScanner(rule.valueShape),
      before: window.before,
      after: window.after,
      multiline: window.multiline,
    };
  });
  // A keyword that only prefix rules own can be dropped in the prefilter when it is glued to an identifier
  // (`task_sk_…`): keyword floods then cost one table lookup a character and nothing more.
  const prefixOnly = owners.map((list) => list.every((index) => rules[index]!.anchor === 'prefix'));
  return {
    rules,
    prefilter: buildPrefilter([...keywordIndex.keys()], { dropGlued: prefixOnly }),
    owners,
    compiled,
  };
}

interface Candidate {
  ruleIndex: number;
  start: number;
  end: number;
  /** Where the whole match starts (the variable name for context rules). */
  matchStart: number;
}

/** Scans fragments with the given rules. Findings come in fragment order, then by position. */
export function scan(
  fragments: Iterable<Fragment>,
  rules: CompiledRules | readonly Rule[],
  options: ScanOptions,
): Finding[] {
  const compiled = isCompiled(rules) ? rules : compileRules(rules);
  const findings: Finding[] = [];
  for (const fragment of fragments) {
    scanFragment(fragment, compiled, options, findings);
  }
  return findings;
}

/**
 * Convenience for tests and one-off checks: scans one text. The fingerprint key defaults to
 * `DEFAULT_FINGERPRINT_KEY`.
 */
export function scanText(
  text: string,
  rules: CompiledRules | readonly Rule[],
  options: Partial<ScanOptions> & { path?: string } = {},
): Finding[] {
  const { path = 'input', fingerprintKey = DEFAULT_FINGERPRINT_KEY, ...rest } = options;
  return scan([{ path, text }], rules, { ...rest, fingerprintKey });
}

function isCompiled(rules: CompiledRules | readonly Rule[]): rules is CompiledRules {
  return 'prefilter' in rules;
}

function scanFragment(
  fragment: Fragment,
  compiled: CompiledRules,
  options: ScanOptions,
  out: Finding[],
): void {
  const { text } = fragment;
  const hits = compiled.prefilter.find(text);
  if (hits.length === 0) return;

  const lines = new LineIndex(text, fragment.lineNumbers);
  const drop = (ruleIndex: number, position: number, reason: DropReason) => {
    if (!options.onDrop) return;
    const rule = compiled.compiled[ruleIndex]!.rule;
    options.onDrop({ path: fragment.path, line: lines.lineOf(position), ruleId: rule.id, reason });
  };

  const candidates: Candidate[] = [];
  const windows = new Map<number, number[]>();
  const keywordLengths = compiled.prefilter.keywords;
  for (let h = 0; h < hits.length; h += 2) {
    const keyword = hits[h]!;
    const position = hits[h + 1]!;
    for (const ruleIndex of compiled.owners[keyword]!) {
      const entry = compiled.compiled[ruleIndex]!;
      if (entry.rule.anchor === 'prefix') {
        if (isGlued(text, position)) {
          drop(ruleIndex, position, 'boundary');
          continue;
        }
        entry.regex.lastIndex = position;
        const match = entry.regex.exec(text);
        const span = match?.indices?.groups?.['secret'];
        if (match && span)
          candidates.push({ ruleIndex, start: span[0], end: span[1], matchStart: match.index });
      } else {
        let list = windows.get(ruleIndex);
        if (!list) {
          list = [];
          windows.set(ruleIndex, list);
        }
        list.push(position, position + keywordLengths[keyword]!.length);
      }
    }
  }
  for (const [ruleIndex, list] of windows) {
    searchWindows(text, compiled.compiled[ruleIndex]!, ruleIndex, list, candidates);
  }
  if (candidates.length === 0) return;

  const excluded = fragment.path.endsWith('.ipynb') ? notebookImageRanges(text) : [];
  const kept = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const reason = rejectReason(text, candidate, compiled.compiled[candidate.ruleIndex]!, excluded, lines);
    if (reason) {
      drop(candidate.ruleIndex, candidate.start, reason);
      continue;
    }
    // One finding per secret span: where two rules claim the same value, the more severe (then the
    // first registered) wins.
    const key = `${candidate.start}:${candidate.end}`;
    const other = kept.get(key);
    if (!other || outranks(compiled, candidate, other)) kept.set(key, candidate);
  }

  const ordered = [...kept.values()].sort((a, b) => a.start - b.start || a.ruleIndex - b.ruleIndex);
  for (const candidate of ordered) {
    const finding = toFinding(
      fragment,
      text,
      candidate,
      compiled.compiled[candidate.ruleIndex]!.rule,
      options,
      lines,
    );
    if (options.baseline?.has(finding.fingerprint)) {
      drop(candidate.ruleIndex, candidate.start, 'baseline');
      continue;
    }
    out.push(finding);
  }
}

/** Hits of one rule closer than this, joined by identifier characters only, are one run. */
const RUN_GAP = 64;

/**
 * Runs a window rule's pattern around its keyword hits (`hits` is flat `[start, end, …]`): windows are
 * merged, and the pattern runs once per merged window. Where several hits stand in one run of identifier
 * characters (`coherecoherecohere…`, `a.cohere.b.cohere`), only the first and the last get a window: a
 * match that starts at a middle hit also starts, with a shorter name, at the last one, and a secret cannot
 * start mid-run (it would be glued). This keeps keyword floods linear.
 */
function searchWindows(
  text: string,
  entry: CompiledRule,
  ruleIndex: number,
  hits: number[],
  candidates: Candidate[],
): void {
  const count = hits.length / 2;
  const order = Array.from({ length: count }, (_, i) => i);
  if (!isSortedByStart(hits)) order.sort((a, b) => hits[2 * a]! - hits[2 * b]!);
  const windows = new RangeMerger((from, to) => searchWindow(text, entry, ruleIndex, from, to, candidates));
  for (let k = 0; k < count; k++) {
    const i = order[k]!;
    const joinedToPrevious = k > 0 && sameRun(text, hits[2 * order[k - 1]! + 1]!, hits[2 * i]!);
    const joinedToNext = k + 1 < count && sameRun(text, hits[2 * i + 1]!, hits[2 * order[k + 1]!]!);
    if (joinedToPrevious && joinedToNext) continue;
    windows.add(
      Math.max(0, hits[2 * i]! - entry.before),
      Math.min(text.length, hits[2 * i + 1]! + entry.after),
    );
  }
  windows.flush();
}

/** Merges ranges given in increasing order of start, handing each merged range to `run` once. */
class RangeMerger {
  readonly #run: (from: number, to: number) => void;
  #from = -1;
  #to = -1;

  constructor(run: (from: number, to: number) => void) {
    this.#run = run;
  }

  add(from: number, to: number): void {
    if (from <= this.#to) {
      this.#to = Math.max(this.#to, to);
      return;
    }
    this.flush();
    this.#from = from;
    this.#to = to;
  }

  flush(): void {
    if (this.#to > this.#from) this.#run(this.#from, this.#to);
    this.#from = -1;
    this.#to = -1;
  }
}

function isSortedByStart(hits: number[]): boolean {
  for (let i = 2; i < hits.length; i += 2) if (hits[i]! < hits[i - 2]!) return false;
  return true;
}

/** True when `[from, to)` is short and holds identifier characters only (overlapping hits included). */
function sameRun(text: string, from: number, to: number): boolean {
  if (to - from > RUN_GAP) return false;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (!(isIdentifierCode(code) || code === 46)) return false;
  }
  return true;
}

/**
 * Runs a rule's pattern in `[from, to)`. With a `valueShape`, the window is first searched for values of
 * that shape, and the pattern runs only around them (keyword floods with no value cost one cheap scan).
 */
function searchWindow(
  text: string,
  entry: CompiledRule,
  ruleIndex: number,
  from: number,
  to: number,
  candidates: Candidate[],
): void {
  if (!entry.value) {
    runPattern(text, entry, ruleIndex, from, to, candidates);
    return;
  }
  const around = new RangeMerger((start, end) => runPattern(text, entry, ruleIndex, start, end, candidates));
  entry.value(text, from, to, (valueStart, valueEnd) => {
    around.add(Math.max(from, valueStart - entry.before), Math.min(to, valueEnd + entry.after));
  });
  around.flush();
}

function runPattern(
  text: string,
  entry: CompiledRule,
  ruleIndex: number,
  from: number,
  to: number,
  candidates: Candidate[],
): void {
  const slice = text.slice(from, to);
  entry.regex.lastIndex = 0;
  for (let match = entry.regex.exec(slice); match !== null; match = entry.regex.exec(slice)) {
    const span = match.indices?.groups?.['secret'];
    if (span) {
      const start = from + span[0];
      const end = from + span[1];
      const matchStart = from + match.index;
      if (entry.multiline || !text.slice(matchStart, end).includes('\n')) {
        candidates.push({ ruleIndex, start, end, matchStart });
      }
    }
    if (match[0].length === 0) entry.regex.lastIndex++;
  }
}

function rejectReason(
  text: string,
  candidate: Candidate,
  entry: CompiledRule,
  excluded: ReadonlyArray<[number, number]>,
  lines: LineIndex,
): DropReason | undefined {
  const { rule } = entry;
  const secret = text.slice(candidate.start, candidate.end);
  const prefix = visiblePrefix(rule, secret);
  const body = secret.slice(prefix.length);
  if (isGlued(text, candidate.start)) return 'boundary';
  if (excluded.some(([from, to]) => candidate.start >= from && candidate.start < to))
    return 'excluded-region';
  if (isPlaceholder(secret, body)) return 'placeholder';
  if (isVariableReference(text, candidate.start)) return 'variable-reference';
  if (rule.minEntropy !== undefined && shannonEntropy(body) < rule.minEntropy) return 'low-entropy';
  if (rule.validate && !rule.validate(secret)) return 'invalid-structure';
  if (lines.lineText(candidate.start).includes(INLINE_ALLOW)) return 'inline-allow';
  return undefined;
}

function toFinding(
  fragment: Fragment,
  text: string,
  candidate: Candidate,
  rule: Rule,
  options: ScanOptions,
  lines: LineIndex,
): Finding {
  const value = text.slice(candidate.start, candidate.end);
  const redacted = redact(value, visiblePrefix(rule, value));
  const { line, column } = lines.locate(candidate.start);
  return {
    path: fragment.path,
    line,
    column,
    ruleId: rule.id,
    provider: rule.provider,
    title: rule.title,
    class: rule.class,
    severity: rule.severity,
    redacted,
    fingerprint: fingerprint(value, options.fingerprintKey),
    secret: new Secret(value, redacted),
  };
}

const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

function outranks(compiled: CompiledRules, a: Candidate, b: Candidate): boolean {
  const ra = SEVERITY_RANK[compiled.rules[a.ruleIndex]!.severity];
  const rb = SEVERITY_RANK[compiled.rules[b.ruleIndex]!.severity];
  return ra > rb || (ra === rb && a.ruleIndex < b.ruleIndex);
}

/** The rule's declared visible prefix, else the longest keyword the secret starts with, as written. */
function visiblePrefix(rule: Rule, secret: string): string {
  if (rule.visiblePrefix !== undefined)
    return secret.startsWith(rule.visiblePrefix) ? rule.visiblePrefix : '';
  const lower = secret.toLowerCase();
  let best = '';
  for (const keyword of rule.keywords) {
    if (keyword.length > best.length && lower.startsWith(keyword)) best = secret.slice(0, keyword.length);
  }
  return best;
}
