/**
 * The benchmark corpus: real third-party source (the JS/TS/JSON/Markdown files of the installed packages
 * under `node_modules/`), copied into `node_modules/.cache/keywarden-bench/corpus/`, with keys planted at known places.
 *
 * Selection is deterministic: every candidate file of at most `maxFileBytes` (1 MB: larger files are
 * generated data such as OpenAPI dumps, one of which would otherwise be most of the corpus), ordered by a
 * hash of its path (so the corpus spreads over many packages rather than the alphabetically first ones),
 * taken until the total reaches the target size; the chosen files are then listed in path order. Each planted key is one rule's positive
 * example (its context: `.env` line, YAML, JSON, code…) with the example's secret replaced by a fresh
 * `rule.sample(seed)`, inserted as new lines at a hashed position of a hashed file. Planted values stay in
 * memory; only their locations and rule ids are reported.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import type { Rule } from '../rules/types.js';

/** Extensions copied into the corpus. */
export const CORPUS_EXTENSIONS: ReadonlySet<string> = new Set([
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
  '.ts',
  '.mts',
  '.cts',
  '.tsx',
  '.json',
  '.md',
]);

/** Where a key was planted. The value itself is never part of this record. */
export interface PlantedKey {
  /** Index into `Corpus.files`. */
  file: number;
  /** 1-based line of the secret's first character. */
  line: number;
  ruleId: string;
  /** Index of the positive example used as context. */
  context: number;
}

export interface Corpus {
  /** Absolute paths, sorted. */
  files: string[];
  bytes: number;
  planted: PlantedKey[];
  /** Rules for which no positive example contains its own secret literally (nothing planted). */
  unplantable: string[];
}

export interface CorpusOptions {
  /** Folder to take files from (`node_modules`). */
  source: string;
  /** Folder to (re)create; everything in it is deleted first. */
  target: string;
  minBytes: number;
  /** Larger files are left out. */
  maxFileBytes: number;
  plantCount: number;
  rules: readonly Rule[];
}

/** A key to insert: the lines of `block` go before line index `before` of the original file. */
export interface Plant {
  ruleId: string;
  context: number;
  block: string;
  /** Line of the secret within `block`, 0-based. */
  secretLine: number;
  secret: string;
  /** Any non-negative integer; the insertion point is `position % lineCount`. */
  position: number;
}

/** 32-bit FNV-1a of a string. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Every candidate file under `root` (regular files only, no dot-entries, no symlinks), sorted. */
export function listSourceFiles(root: string): Array<{ path: string; size: number }> {
  const out: Array<{ path: string; size: number }> = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && CORPUS_EXTENSIONS.has(extname(entry.name))) {
        out.push({ path, size: statSync(path).size });
      }
    }
  };
  walk(root);
  return out;
}

/**
 * The files to copy: those of at most `maxFileBytes`, in hash order of their path relative to `root`,
 * until `minBytes`; returned in path order.
 */
export function selectFiles(
  root: string,
  candidates: ReadonlyArray<{ path: string; size: number }>,
  minBytes: number,
  maxFileBytes = Number.POSITIVE_INFINITY,
): string[] {
  const ordered = candidates
    .filter((file) => file.size <= maxFileBytes)
    .map((file) => ({ ...file, key: hash32(relative(root, file.path)) }))
    .sort((a, b) => a.key - b.key || (a.path < b.path ? -1 : 1));
  const chosen: string[] = [];
  let total = 0;
  for (const file of ordered) {
    if (total >= minBytes) break;
    chosen.push(file.path);
    total += file.size;
  }
  if (total < minBytes) {
    throw new Error(`only ${total} bytes of source files under ${root}, need ${minBytes}`);
  }
  return chosen.sort();
}

/**
 * `count` plants spread round-robin over `rules` (sorted by id); plant `i` uses the rule's positive
 * example number `floor(i / rules.length)` (cycling), so successive rounds use different contexts.
 */
export function planPlants(
  rules: readonly Rule[],
  count: number,
): { plants: Plant[]; unplantable: string[] } {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : 1));
  const examples = new Map(sorted.map((rule) => [rule.id, rule.examples().positive]));
  const unplantable = sorted
    .filter((rule) => !examples.get(rule.id)!.some((example) => example.text.includes(example.secret)))
    .map((rule) => rule.id);
  const usable = sorted.filter((rule) => !unplantable.includes(rule.id));
  const plants: Plant[] = [];
  for (let i = 0; i < count && usable.length > 0; i++) {
    const rule = usable[i % usable.length]!;
    const positives = examples.get(rule.id)!;
    const round = Math.floor(i / usable.length);
    for (let step = 0; step < positives.length; step++) {
      const context = (round + step) % positives.length;
      const example = positives[context]!;
      const at = example.text.indexOf(example.secret);
      if (at === -1) continue;
      const secret = rule.sample(`keywarden-bench:${i}`);
      const block = example.text
        .split(example.secret)
        .join(secret)
        .replace(/\r?\n$/, '');
      const secretLine = example.text.slice(0, at).split('\n').length - 1;
      plants.push({ ruleId: rule.id, context, block, secretLine, secret, position: hash32(`line:${i}`) });
      break;
    }
  }
  return { plants, unplantable };
}

/**
 * Inserts `plants` into `text` as whole lines and returns the new text and, per plant (same order),
 * the 1-based line of its secret in the new text.
 */
export function insertPlants(text: string, plants: readonly Plant[]): { text: string; lines: number[] } {
  const original = text.split('\n');
  const order = plants
    .map((plant, index) => ({ plant, index, before: plant.position % original.length }))
    .sort((a, b) => a.before - b.before || a.index - b.index);
  const out: string[] = [];
  const lines = new Array<number>(plants.length).fill(0);
  let next = 0;
  for (const { plant, index, before } of order) {
    while (next < before) out.push(original[next++]!);
    lines[index] = out.length + plant.secretLine + 1;
    out.push(...plant.block.split('\n'));
  }
  while (next < original.length) out.push(original[next++]!);
  return { text: out.join('\n'), lines };
}

/**
 * Builds `node_modules/.cache/keywarden-bench/corpus/`: selects and copies the files, plants the keys. Returns the corpus and, for
 * the output guard only, the planted values.
 */
export function buildCorpus(options: CorpusOptions): { corpus: Corpus; secrets: string[] } {
  const selected = selectFiles(
    options.source,
    listSourceFiles(options.source),
    options.minBytes,
    options.maxFileBytes,
  );
  const { plants, unplantable } = planPlants(options.rules, options.plantCount);

  const byFile = new Map<number, Array<{ plant: Plant; order: number }>>();
  plants.forEach((plant, order) => {
    const file = hash32(`file:${order}`) % selected.length;
    const list = byFile.get(file) ?? [];
    list.push({ plant, order });
    byFile.set(file, list);
  });

  rmSync(options.target, { recursive: true, force: true });
  const files: string[] = [];
  const planted: PlantedKey[] = [];
  let bytes = 0;
  selected.forEach((sourcePath, file) => {
    const targetPath = join(options.target, relative(options.source, sourcePath));
    mkdirSync(dirname(targetPath), { recursive: true });
    const here = byFile.get(file);
    let content: Buffer;
    if (here === undefined) {
      content = readFileSync(sourcePath);
    } else {
      const result = insertPlants(
        readFileSync(sourcePath, 'utf8'),
        here.map((entry) => entry.plant),
      );
      here.forEach(({ plant, order }, i) => {
        planted[order] = { file, line: result.lines[i]!, ruleId: plant.ruleId, context: plant.context };
      });
      content = Buffer.from(result.text, 'utf8');
    }
    writeFileSync(targetPath, content);
    files.push(targetPath);
    bytes += content.length;
  });
  return { corpus: { files, bytes, planted, unplantable }, secrets: plants.map((plant) => plant.secret) };
}
