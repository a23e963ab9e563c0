import { describe, expect, it } from 'vitest';
import type { PlantedKey } from './corpus.js';
import { score } from './score.js';

const planted: PlantedKey[] = [
  { file: 0, line: 3, ruleId: 'openai.project-key', context: 0 },
  { file: 1, line: 7, ruleId: 'anthropic.api-key', context: 2 },
  { file: 2, line: 1, ruleId: 'groq.api-key', context: 1 },
];

describe('score', () => {
  it('counts a planted key as found on its file and line, whatever the rule', () => {
    const result = score(planted, [
      [0, 3, 'openai.project-key'],
      [1, 7, 'openai.legacy-key'],
      [1, 8, 'anthropic.api-key'],
      [4, 1, 'x.y'],
    ]);

    expect(result.found).toBe(2);
    expect(result.recall).toBeCloseTo(2 / 3);
    expect(result.other).toBe(2);
    expect([...result.missed]).toEqual([['groq.api-key#1', 1]]);
    expect([...result.otherByRule]).toEqual([
      ['anthropic.api-key', 1],
      ['x.y', 1],
    ]);
  });

  it('reports keys found under another rule id when asked', () => {
    const result = score(planted, [[1, 7, 'openai.legacy-key']], true);

    expect([...result.wrongRule]).toEqual([['anthropic.api-key→openai.legacy-key', 1]]);
  });

  it('gives recall 0 when nothing was planted', () => {
    expect(score([], [[0, 1, 'a.b']]).recall).toBe(0);
  });
});
