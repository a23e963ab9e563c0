/**
 * Scoring a tool's hits against the planted keys: a planted key is found when the tool reports anything
 * on its file and line; every hit elsewhere is an "other finding" (the corpus is third-party code, so
 * these are false positives or test fixtures of those packages).
 */
import type { PlantedKey } from './corpus.js';
import type { ToolHit } from './tools/tool.js';

export interface Score {
  planted: number;
  found: number;
  /** found / planted (0 when nothing was planted). */
  recall: number;
  /** Hits not on a planted key's line. */
  other: number;
  /** Planted keys not found, as `ruleId#context` → count. */
  missed: Map<string, number>;
  /** Planted keys found at their line, but not under their own rule id: `planted→reported` → count. */
  wrongRule: Map<string, number>;
  /** Other findings per rule id. */
  otherByRule: Map<string, number>;
}

function locationOf(file: number, line: number): string {
  return `${file}:${line}`;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Scores `hits` against `planted`. `ownRuleIds`: compare rule ids too (keywarden only). */
export function score(planted: readonly PlantedKey[], hits: readonly ToolHit[], ownRuleIds = false): Score {
  const rulesAt = new Map<string, Set<string>>();
  for (const [file, line, ruleId] of hits) {
    const key = locationOf(file, line);
    const set = rulesAt.get(key) ?? new Set<string>();
    set.add(ruleId);
    rulesAt.set(key, set);
  }
  const plantedAt = new Set(planted.map((key) => locationOf(key.file, key.line)));
  const missed = new Map<string, number>();
  const wrongRule = new Map<string, number>();
  let found = 0;
  for (const key of planted) {
    const rules = rulesAt.get(locationOf(key.file, key.line));
    if (rules === undefined) {
      bump(missed, `${key.ruleId}#${key.context}`);
      continue;
    }
    found++;
    if (ownRuleIds && !rules.has(key.ruleId)) bump(wrongRule, `${key.ruleId}→${[...rules].sort().join('+')}`);
  }
  const otherByRule = new Map<string, number>();
  let other = 0;
  for (const [file, line, ruleId] of hits) {
    if (plantedAt.has(locationOf(file, line))) continue;
    other++;
    bump(otherByRule, ruleId);
  }
  return {
    planted: planted.length,
    found,
    recall: planted.length === 0 ? 0 : found / planted.length,
    other,
    missed,
    wrongRule,
    otherByRule,
  };
}
