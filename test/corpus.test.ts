/**
 * Precision and recall of every rule family on the labelled corpus (`fixtures/corpus/`), through the real
 * engine. Keys are planted at run time (see `test/corpus/load.ts`); a finding counts as a true positive
 * only at the planted key's line and column, with the planted rule id and value.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRules, scan } from '../src/engine/scan.js';
import type { Dropped, Finding } from '../src/engine/types.js';
import { allRules, families } from '../src/rules/registry.js';
import {
  type Corpus,
  contextOf,
  type ExpectedFinding,
  loadCorpus,
  REQUIRED_CONTEXTS,
} from './corpus/load.js';

const ROOT = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));
const THRESHOLD = 0.98;
const MIN_CONTEXTS_PER_FAMILY = 4;

interface FamilyScore {
  family: string;
  expected: number;
  found: number;
  findings: number;
  truePositives: number;
  contexts: number;
  recall: number;
  precision: number;
}

interface Outcome {
  scores: FamilyScore[];
  missed: ExpectedFinding[];
  falsePositives: Finding[];
  drops: Dropped[];
}

function keyOf(item: { path: string; line: number; column: number }): string {
  return `${item.path}:${item.line}:${item.column}`;
}

function evaluate(corpus: Corpus, findings: readonly Finding[]): Omit<Outcome, 'drops'> {
  const open = new Map<string, ExpectedFinding[]>();
  for (const expected of corpus.expected) {
    const list = open.get(keyOf(expected)) ?? [];
    list.push(expected);
    open.set(keyOf(expected), list);
  }
  const matched = new Set<ExpectedFinding>();
  const falsePositives: Finding[] = [];
  for (const finding of findings) {
    const candidates = open.get(keyOf(finding)) ?? [];
    const hit = candidates.find(
      (expected) =>
        !matched.has(expected) &&
        expected.ruleId === finding.ruleId &&
        finding.secret.equals(expected.secret),
    );
    if (hit) matched.add(hit);
    else falsePositives.push(finding);
  }
  const scores = families.map((family): FamilyScore => {
    const expected = corpus.expected.filter((item) => item.family === family.id);
    const found = expected.filter((item) => matched.has(item)).length;
    const own = findings.filter((finding) => finding.provider === family.id);
    const truePositives = own.length - falsePositives.filter((f) => f.provider === family.id).length;
    return {
      family: family.id,
      expected: expected.length,
      found,
      findings: own.length,
      truePositives,
      contexts: new Set(expected.map((item) => contextOf(item.path))).size,
      recall: expected.length === 0 ? 0 : found / expected.length,
      precision: own.length === 0 ? 1 : truePositives / own.length,
    };
  });
  return { scores, missed: corpus.expected.filter((item) => !matched.has(item)), falsePositives };
}

function table(outcome: Outcome): string {
  const header = 'family         positives  found  findings  true-pos  contexts  recall  precision';
  const rows = outcome.scores.map((s) =>
    [
      s.family.padEnd(14),
      String(s.expected).padStart(9),
      String(s.found).padStart(6),
      String(s.findings).padStart(9),
      String(s.truePositives).padStart(9),
      String(s.contexts).padStart(9),
      s.recall.toFixed(3).padStart(7),
      s.precision.toFixed(3).padStart(10),
    ].join(' '),
  );
  return [header, ...rows].join('\n');
}

/** Positions and reasons only: never a key, not even its redacted form. */
function failures(outcome: Outcome): string[] {
  const lines: string[] = [];
  for (const miss of outcome.missed) {
    const drops = outcome.drops.filter((d) => d.path === miss.path && d.line === miss.line);
    const reasons = drops.map((d) => `${d.ruleId}:${d.reason}`).join(', ') || 'no candidate';
    lines.push(`missed ${miss.path}:${miss.line}:${miss.column} ${miss.ruleId} (dropped: ${reasons})`);
  }
  for (const fp of outcome.falsePositives) {
    lines.push(`false positive ${fp.path}:${fp.line}:${fp.column} ${fp.ruleId}`);
  }
  return lines;
}

describe('labelled corpus', () => {
  let corpus: Corpus;
  let outcome: Outcome;

  beforeAll(() => {
    corpus = loadCorpus(ROOT, allRules);
    const drops: Dropped[] = [];
    const findings = scan(corpus.fragments, compileRules(allRules), {
      fingerprintKey: 'keywarden-corpus-test',
      onDrop: (dropped) => drops.push(dropped),
    });
    outcome = { ...evaluate(corpus, findings), drops };
    const planted = new Set(corpus.expected.map((item) => item.ruleId));
    const unplanted = allRules.filter((rule) => !planted.has(rule.id)).map((rule) => rule.id);
    const summary = [
      `corpus: ${corpus.fragments.length} files (${corpus.negativeFiles.length} hard negatives), ` +
        `${corpus.expected.length} planted keys of ${planted.size}/${allRules.length} rules, ` +
        `${corpus.plantedNegatives} planted near misses`,
      `planted keys by file type: ${REQUIRED_CONTEXTS.map(
        (context) =>
          `${context}=${corpus.expected.filter((item) => contextOf(item.path) === context).length}`,
      ).join(' ')}`,
      table(outcome),
      ...(unplanted.length > 0 ? [`rules without a planted key: ${unplanted.join(', ')}`] : []),
      ...failures(outcome),
    ];
    console.log(summary.join('\n'));
  });

  it('stays small', () => {
    expect(corpus.templateBytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('fills every JSON and notebook template into valid JSON', () => {
    const invalid: string[] = [];
    for (const { path, text } of corpus.fragments) {
      if (!/\.(json|jsonl|ipynb)$/.test(path)) continue;
      const documents = path.endsWith('.jsonl') ? text.split('\n').filter(Boolean) : [text];
      for (const document of documents) {
        try {
          JSON.parse(document);
        } catch {
          invalid.push(path);
        }
      }
    }

    expect(invalid).toEqual([]);
  });

  it('covers every context and has hard negatives', () => {
    const contexts = new Set(corpus.fragments.map((fragment) => contextOf(fragment.path)));
    const positiveContexts = new Set(corpus.expected.map((item) => contextOf(item.path)));

    expect(REQUIRED_CONTEXTS.filter((context) => !contexts.has(context))).toEqual([]);
    expect(REQUIRED_CONTEXTS.filter((context) => !positiveContexts.has(context))).toEqual([]);
    expect(corpus.negativeFiles.length).toBeGreaterThanOrEqual(10);
  });

  it('plants keys of every family in several file types', () => {
    const thin = outcome.scores
      .filter((score) => score.contexts < MIN_CONTEXTS_PER_FAMILY)
      .map((score) => `${score.family} (${score.contexts})`);

    expect(thin).toEqual([]);
  });

  it(`has recall >= ${THRESHOLD} for every family`, () => {
    const low = outcome.scores
      .filter((score) => score.recall < THRESHOLD)
      .map((score) => `${score.family}: ${score.found}/${score.expected}`);

    expect(low).toEqual([]);
  });

  it(`has precision >= ${THRESHOLD} for every family`, () => {
    const low = outcome.scores
      .filter((score) => score.precision < THRESHOLD)
      .map((score) => `${score.family}: ${score.truePositives}/${score.findings}`);

    expect(low).toEqual([]);
  });
});
