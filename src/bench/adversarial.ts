/**
 * keywarden's worst case: megabyte-long inputs built to make a keyword-then-regex scanner slow, per rule
 * family, from the family's own keywords:
 *
 * - `repeat`, `repeat-upper`: the keywords glued together with no separators (every offset is a hit);
 * - `then-token:<keyword>`: one keyword followed by a megabyte of token characters on one line
 *   (`AIza` + 1 MB, `sk-` + 1 MB), one input per keyword;
 * - `near-miss`: keyword + a body too short, then keyword + a body too long, alternating, one line;
 * - `dense-line`: token characters with a keyword every 48 characters, no newline;
 * - `assign`: `<KEYWORD>_API_KEY=<token>` repeated on one line (context rules' windows overlap);
 * - `quoted`: `"<keyword>",` repeated (the `"sk-"`×N case);
 * - `short-lines`: `<keyword>\n` repeated (one hit per line).
 *
 * Plus `all/repeat` and `all/dense-line`, which cycle through every keyword of every family. The inputs
 * are written to `node_modules/.cache/keywarden-bench/adversarial/` first; each is then read and scanned twice, keeping the better
 * time (MB/s includes the read, as on the corpus), after a warm-up over a few of them; the five slowest
 * are timed twice more and keep their best, so a garbage-collection pause or a busy neighbour does not
 * decide the worst case.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FINGERPRINT_KEY } from '../engine/fingerprint.js';
import { compileRules, scan } from '../engine/scan.js';
import { ALPHABETS, fake } from '../rules/examples.js';
import { families } from '../rules/registry.js';
import { hash32 } from './corpus.js';
import { startWorker } from './fork.js';
import type { SectionOutput } from './section.js';
import { num, renderTable } from './table.js';

/** Length of each adversarial input, in characters (all ASCII, so also bytes). */
export const ADVERSARIAL_SIZE = 1_000_000;

const RECHECK = 5;

export interface AdversarialInput {
  /** `<family>/<generator>`; names only, the inputs are synthetic. */
  name: string;
  text: string;
}

export interface AdversarialTiming {
  name: string;
  bytes: number;
  /** Read + scan. */
  ms: number;
  /** Scan only. */
  scanMs: number;
  findings: number;
}

export interface AdversarialResult {
  inputs: number;
  totalBytes: number;
  /** Every input, slowest first. */
  timings: AdversarialTiming[];
}

function fill(unit: (i: number) => string, size = ADVERSARIAL_SIZE): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const part = unit(i);
    parts.push(part);
    length += part.length;
  }
  return parts.join('').slice(0, size);
}

/**
 * `length` token characters from `alphabet`, deterministic for `seed`. Written into a byte buffer:
 * `fake()` builds its string one character at a time, which is fine for a key and wasteful for a megabyte.
 */
function tokenChars(seed: string, length: number, alphabet: string = ALPHABETS.base64url): string {
  const block = fake(seed, 4096, alphabet);
  const bytes = Buffer.allocUnsafe(length);
  let state = hash32(seed) || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[i] = block.charCodeAt(state % block.length);
  }
  return bytes.toString('latin1');
}

function cycle(keywords: readonly string[], i: number): string {
  return keywords[i % keywords.length]!;
}

/** The adversarial inputs for one family's keywords. Deterministic. */
export function familyInputs(family: string, keywords: readonly string[]): AdversarialInput[] {
  const token = tokenChars(`adversarial:${family}`, 4096);
  const piece = (i: number, length: number): string => {
    const start = (i * 97) % (token.length - length);
    return token.slice(start, start + length);
  };
  const inputs: AdversarialInput[] = [
    { name: `${family}/repeat`, text: fill((i) => cycle(keywords, i)) },
    { name: `${family}/repeat-upper`, text: fill((i) => cycle(keywords, i).toUpperCase()) },
    {
      name: `${family}/near-miss`,
      text: fill((i) => `${cycle(keywords, i >> 1)}${piece(i, i % 2 === 0 ? 6 : 300)} `),
    },
    {
      name: `${family}/dense-line`,
      text: fill((i) => `${piece(i, 48 - cycle(keywords, i).length)}${cycle(keywords, i)}`),
    },
    {
      name: `${family}/assign`,
      text: fill((i) => `${cycle(keywords, i).toUpperCase()}_API_KEY=${piece(i, 24)} `),
    },
    { name: `${family}/quoted`, text: fill((i) => `"${cycle(keywords, i)}",`) },
    { name: `${family}/short-lines`, text: fill((i) => `${cycle(keywords, i)}\n`) },
  ];
  for (const keyword of keywords) {
    const body = tokenChars(`adversarial:${family}:${keyword}`, ADVERSARIAL_SIZE);
    inputs.push({
      name: `${family}/then-token:${keyword}`,
      text: (keyword + body).slice(0, ADVERSARIAL_SIZE),
    });
  }
  return inputs;
}

/** Every adversarial input: each family's, then one cycling through all keywords. */
export function* adversarialInputs(): Generator<AdversarialInput> {
  const all = new Set<string>();
  for (const family of families) {
    const keywords = [...new Set(family.rules.flatMap((rule) => rule.keywords))].sort();
    if (keywords.length === 0) continue;
    for (const keyword of keywords) all.add(keyword);
    yield* familyInputs(family.id, keywords);
  }
  const keywords = [...all].sort();
  yield { name: 'all/repeat', text: fill((i) => cycle(keywords, i)) };
  yield { name: 'all/dense-line', text: fill((i) => `${cycle(keywords, i)}${'x'.repeat(i % 7)}`) };
}

/** Milliseconds per byte: higher is slower. */
function costOf(timing: AdversarialTiming): number {
  return timing.ms / timing.bytes;
}

/**
 * Writes every adversarial input to `dir` (recreated), then reads and scans each with every rule
 * (compiled once), timing read + scan like the corpus passes.
 */
export async function runAdversarial(dir: string): Promise<AdversarialResult> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files: Array<{ name: string; path: string }> = [];
  for (const input of adversarialInputs()) {
    const path = join(dir, `${String(files.length).padStart(3, '0')}.txt`);
    writeFileSync(path, input.text);
    files.push({ name: input.name, path });
  }

  const compiled = compileRules(families.flatMap((family) => family.rules));
  const options = { fingerprintKey: DEFAULT_FINGERPRINT_KEY };
  const time = (file: { name: string; path: string }): AdversarialTiming => {
    const start = performance.now();
    const text = readFileSync(file.path, 'utf8');
    const scanStart = performance.now();
    const findings = scan([{ path: `adversarial/${file.name}.txt`, text }], compiled, options);
    const end = performance.now();
    return {
      name: file.name,
      bytes: Buffer.byteLength(text),
      ms: end - start,
      scanMs: end - scanStart,
      findings: findings.length,
    };
  };

  // One unmeasured pass over a few inputs warms the engine's code paths.
  for (const file of files.slice(0, 8)) time(file);
  const timings = files.map((file) => {
    const first = time(file);
    const second = time(file);
    return second.ms < first.ms ? second : first;
  });
  timings.sort((a, b) => costOf(b) - costOf(a));
  for (const timing of timings.slice(0, RECHECK)) {
    const file = files.find((candidate) => candidate.name === timing.name)!;
    for (let i = 0; i < 2; i++) {
      const again = time(file);
      if (again.ms < timing.ms) Object.assign(timing, again);
    }
  }
  timings.sort((a, b) => costOf(b) - costOf(a));
  const totalBytes = timings.reduce((sum, timing) => sum + timing.bytes, 0);
  return { inputs: timings.length, totalBytes, timings };
}

/**
 * The adversarial section: runs `runAdversarial` in its own child process and compares the slowest
 * input with keywarden's corpus MB/s, both with reading included (`normal`); the scan-only ratio is
 * printed beside it.
 */
export async function adversarialSection(
  dir: string,
  normal: { mbps: number; scanMbps: number },
): Promise<SectionOutput> {
  const response = await startWorker('adversarial').request({ kind: 'adversarial', dir }, 'adversarial');
  const { result } = response;
  const rate = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);
  const worst = result.timings[0];
  const totalMs = result.timings.reduce((sum, timing) => sum + timing.ms, 0);
  const lines = [
    `${result.inputs} inputs of ${num(ADVERSARIAL_SIZE / 1e6, 1)} MB (${num(result.totalBytes / 1e6, 0)} MB), ` +
      `all rules; overall ${num(rate(result.totalBytes, totalMs))} MB/s; ` +
      `peak RSS ${num(response.maxRssKiB / 1024)} MiB`,
    'slowest inputs (MB/s with the file read, and scan only):',
    ...renderTable(
      ['input', 'MB/s', 'scan-only MB/s', 'ms', 'findings'],
      result.timings
        .slice(0, 8)
        .map((timing) => [
          timing.name,
          num(rate(timing.bytes, timing.ms)),
          num(rate(timing.bytes, timing.scanMs)),
          num(timing.ms, 1),
          String(timing.findings),
        ]),
    ),
  ];
  const worstMbps = worst === undefined ? Number.NaN : rate(worst.bytes, worst.ms);
  const worstScanMbps = worst === undefined ? Number.NaN : rate(worst.bytes, worst.scanMs);
  const ratio = worstMbps / normal.mbps;
  lines.push(
    `worst ${worst?.name ?? 'n/a'}: ${num(worstMbps)} MB/s vs normal ${num(normal.mbps)} MB/s → ratio ${num(ratio, 3)}` +
      ` (scan only: ${num(worstScanMbps)} vs ${num(normal.scanMbps)} → ${num(worstScanMbps / normal.scanMbps, 3)})`,
  );
  const slow = result.timings.filter((timing) => rate(timing.bytes, timing.ms) < normal.mbps / 10);
  const shown = slow.slice(0, 40).map((timing) => timing.name);
  if (slow.length > shown.length) shown.push(`… ${slow.length - shown.length} more`);
  lines.push(`inputs below normal/10 (${slow.length}): ${shown.length === 0 ? 'none' : shown.join(', ')}`);
  return {
    title: 'keywarden on adversarial input',
    lines,
    targets: [
      {
        name: 'worst adversarial MB/s >= normal / 10',
        actual: `${num(worstMbps)} (x${num(ratio, 3)})`,
        required: `>= ${num(normal.mbps / 10)} (x0.100)`,
        pass: ratio >= 0.1,
      },
    ],
  };
}
