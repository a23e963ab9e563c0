/**
 * Loads the labelled corpus under `fixtures/corpus/`: every file is a template whose markers are replaced
 * at run time with generated credentials, so the repository never holds a whole-looking key.
 *
 * Markers (the optional `#n` picks a distinct key; the same marker twice in a file is the same key):
 * - `@@KW:<ruleId>[#n]@@`          a valid key from `rule.sample`; the engine must report it here.
 * - `@@BADCHECKSUM:<ruleId>[#n]@@` the same kind of key with one character changed so that the rule's
 *                                  `validate` rejects it; the engine must report nothing here.
 * - `@@PLACEHOLDER:<ruleId>@@`     the key's literal prefix followed by `x` for the rest (`gsk_xxxx…`):
 *                                  the right shape, but a placeholder; the engine must report nothing.
 * - `@@PNG[:<ruleId>]@@`           base64 of a generated PNG (one JSON string body, as nbformat writes
 *                                  it), optionally with a key of that rule spliced into the base64 text.
 * - `@@PNGLINES[:<ruleId>]@@`      the same PNG as a nbformat list of strings (`"…\n",` per line).
 * Files without `@@KW` markers are hard negatives: any finding in them is a false positive.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Fragment } from '../../src/engine/types.js';
import { ALPHABETS, fake } from '../../src/rules/examples.js';
import type { Rule } from '../../src/rules/types.js';

/** Where a planted key must be reported (line and column in the substituted file, 1-based). */
export interface ExpectedFinding {
  path: string;
  line: number;
  column: number;
  ruleId: string;
  family: string;
  /** The planted value, compared with `finding.secret.equals`; never printed. */
  secret: string;
}

/** The file types the corpus must cover; derived from the path. */
export type Context =
  | 'env'
  | 'yaml'
  | 'toml'
  | 'dockerfile'
  | 'shell'
  | 'terraform'
  | 'markdown'
  | 'python'
  | 'js-ts'
  | 'json'
  | 'notebook'
  | 'other';

export const REQUIRED_CONTEXTS: readonly Context[] = [
  'env',
  'yaml',
  'toml',
  'dockerfile',
  'shell',
  'terraform',
  'markdown',
  'python',
  'js-ts',
  'json',
  'notebook',
];

export interface Corpus {
  fragments: Fragment[];
  expected: ExpectedFinding[];
  /** Files that hold no `@@KW` marker (hard negatives). */
  negativeFiles: string[];
  /** Count of planted near misses (`BADCHECKSUM`, `PLACEHOLDER`) and key-bearing image payloads. */
  plantedNegatives: number;
  /** Total size of the templates on disk, in bytes. */
  templateBytes: number;
}

const MARKER =
  /@@(KW|BADCHECKSUM|PLACEHOLDER|PNGLINES|PNG)(?::([a-z0-9-]{1,40}\.[a-z0-9-]{1,60}))?(?:#([0-9]{1,3}))?@@/g;
const BASE64_CHARS = /^[A-Za-z0-9+/]{1,400}$/;

/** The file type of a corpus path, by name and extension. */
export function contextOf(path: string): Context {
  const name = path.split('/').pop() ?? path;
  const lower = name.toLowerCase();
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'env';
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile'))
    return 'dockerfile';
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : '';
  switch (ext) {
    case 'yml':
    case 'yaml':
      return 'yaml';
    case 'toml':
      return 'toml';
    case 'sh':
    case 'bash':
    case 'zsh':
      return 'shell';
    case 'tf':
    case 'tfvars':
    case 'hcl':
      return 'terraform';
    case 'md':
      return 'markdown';
    case 'py':
      return 'python';
    case 'js':
    case 'mjs':
    case 'cjs':
    case 'ts':
    case 'tsx':
    case 'jsx':
      return 'js-ts';
    case 'json':
    case 'jsonl':
      return 'json';
    case 'ipynb':
      return 'notebook';
    default:
      return 'other';
  }
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root).sort()) {
    const full = join(root, entry);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

function ruleById(rules: readonly Rule[], id: string | undefined, where: string): Rule {
  const rule = rules.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`${where}: marker names unknown rule ${id ?? '(none)'}`);
  return rule;
}

/** Character pools a corrupted character stays within: digit, hex letter or other letter, same case. */
const SWAP_POOLS = ['0123456789', 'abcdef', 'ghijklmnopqrstuvwxyz', 'ABCDEF', 'GHIJKLMNOPQRSTUVWXYZ'];

function swapped(ch: string): string | undefined {
  for (const pool of SWAP_POOLS) {
    const at = pool.indexOf(ch);
    if (at >= 0) return pool[(at + 3) % pool.length];
  }
  return undefined;
}

/** True when a prefix rule's pattern still captures exactly `key` (window rules need context: not checked). */
function stillMatches(rule: Rule, key: string): boolean {
  if (rule.anchor !== 'prefix') return true;
  const match = new RegExp(rule.pattern.source, rule.pattern.flags.replace(/[gy]/g, '')).exec(key);
  return match?.index === 0 && match.groups?.['secret'] === key;
}

/**
 * The key with one character of its random part changed so that `validate` fails while the text keeps
 * the key's shape (same length and character classes, still matched by the rule's pattern). Throws when
 * the rule has no validator or no such change exists.
 */
export function corrupt(rule: Rule, key: string, where: string): string {
  const validate = rule.validate;
  if (!validate) throw new Error(`${where}: BADCHECKSUM needs a rule with validate, ${rule.id} has none`);
  // Change characters from the middle outwards: the middle is random body, never the prefix.
  const middle = Math.floor(key.length / 2);
  for (let step = 0; step < key.length; step++) {
    const at = middle + (step % 2 === 0 ? step / 2 : -(step + 1) / 2);
    const swap = swapped(key[at] ?? '');
    if (swap === undefined) continue;
    const candidate = key.slice(0, at) + swap + key.slice(at + 1);
    if (!validate(candidate) && stillMatches(rule, candidate)) return candidate;
  }
  throw new Error(`${where}: could not corrupt a ${rule.id} sample so that validate fails`);
}

/** The key with everything after its literal prefix (declared or keyword) replaced by `x`. */
export function placeholder(rule: Rule, key: string): string {
  const lower = key.toLowerCase();
  let prefix =
    rule.visiblePrefix !== undefined && key.startsWith(rule.visiblePrefix) ? rule.visiblePrefix : '';
  for (const keyword of rule.keywords) {
    if (keyword.length > prefix.length && lower.startsWith(keyword)) prefix = key.slice(0, keyword.length);
  }
  return prefix + 'x'.repeat(key.length - prefix.length);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Base64 of a small, valid PNG with noisy pixels (so its base64 looks like a real plot's). */
export function pngBase64(seed: string): string {
  const width = 48;
  const height = 24;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const noise = Buffer.from(fake(seed, width * height * 3, ALPHABETS.alnum), 'latin1');
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(Buffer.from([0]), noise.subarray(y * width * 3, (y + 1) * width * 3));
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}

/**
 * Base64 PNG text with `key` spliced over its middle between two `/` (base64 characters that end a token),
 * so that only the notebook image exclusion, not a token boundary, keeps the engine from reporting it.
 */
function pngWithKey(seed: string, key: string | undefined): string {
  const base = pngBase64(seed);
  if (key === undefined) return base;
  // At the start of a 76-character line (plus 4), so that the list form keeps the key on one line.
  const at = 76 * Math.floor(base.length / 152) + 4;
  return `${base.slice(0, at)}/${key}/${base.slice(at + key.length + 2)}`;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function position(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/**
 * Fills the markers of one template. `path` is the corpus-relative path (part of every seed, so keys
 * differ between files and stay the same between runs).
 */
export function fillTemplate(
  path: string,
  template: string,
  rules: readonly Rule[],
): { text: string; expected: ExpectedFinding[]; plantedNegatives: number } {
  const planted: { offset: number; rule: Rule; secret: string }[] = [];
  let plantedNegatives = 0;
  let text = '';
  let last = 0;
  for (const match of template.matchAll(MARKER)) {
    const [marker, kind, ruleId, index] = match;
    const where = `${path}: ${marker}`;
    text += template.slice(last, match.index);
    last = match.index + marker.length;
    const seed = `${path}|${ruleId ?? 'png'}|${index ?? '1'}`;
    if (kind === 'KW' || kind === 'BADCHECKSUM' || kind === 'PLACEHOLDER') {
      const rule = ruleById(rules, ruleId, where);
      const key = rule.sample(seed);
      if (kind === 'KW') {
        planted.push({ offset: text.length, rule, secret: key });
        text += key;
        continue;
      }
      plantedNegatives++;
      text += kind === 'BADCHECKSUM' ? corrupt(rule, key, where) : placeholder(rule, key);
      continue;
    }
    const key = ruleId === undefined ? undefined : ruleById(rules, ruleId, where).sample(seed);
    if (key !== undefined) {
      if (!BASE64_CHARS.test(key) || key.length > 70) {
        throw new Error(`${where}: a ${ruleId} sample is not a short base64 text`);
      }
      plantedNegatives++;
    }
    const png = pngWithKey(seed, key);
    if (kind === 'PNG') {
      text += png;
      continue;
    }
    const lineStart = text.lastIndexOf('\n') + 1;
    const indent = /^[ \t]{0,40}/.exec(text.slice(lineStart))?.[0] ?? '';
    const lines: string[] = [];
    for (let i = 0; i < png.length; i += 76) lines.push(png.slice(i, i + 76));
    text += lines.map((line, i) => `"${line}${i < lines.length - 1 ? '\\n' : ''}"`).join(`,\n${indent}`);
  }
  text += template.slice(last);
  const starts = lineStarts(text);
  const expected = planted.map(({ offset, rule, secret }) => ({
    path,
    ...position(starts, offset),
    ruleId: rule.id,
    family: rule.provider,
    secret,
  }));
  return { text, expected, plantedNegatives };
}

/** Reads and fills every template under `root`; paths in the result are relative to `root`, `/`-separated. */
export function loadCorpus(root: string, rules: readonly Rule[]): Corpus {
  const corpus: Corpus = {
    fragments: [],
    expected: [],
    negativeFiles: [],
    plantedNegatives: 0,
    templateBytes: 0,
  };
  for (const file of listFiles(root)) {
    const path = relative(root, file).split(sep).join('/');
    const template = readFileSync(file, 'utf8');
    corpus.templateBytes += Buffer.byteLength(template);
    const filled = fillTemplate(path, template, rules);
    corpus.fragments.push({ path, text: filled.text });
    corpus.expected.push(...filled.expected);
    corpus.plantedNegatives += filled.plantedNegatives;
    if (filled.expected.length === 0) corpus.negativeFiles.push(path);
  }
  return corpus;
}
