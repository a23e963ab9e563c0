import { describe, expect, it } from 'vitest';
import { scanText } from '../engine/scan.js';
import { allRules } from '../rules/registry.js';
import { demoFingerprintKey, plantedKey } from './key.js';
import { excerpt } from './render.js';
import { leakFile } from './world.js';

describe('the planted key', () => {
  it('is an OpenAI project key the engine finds in the leaked file, the same for the same seed', () => {
    const key = plantedKey('seed-a');

    const findings = scanText(leakFile(key), allRules, { path: 'config/.env' });

    expect(plantedKey('seed-a')).toBe(key);
    expect(plantedKey('seed-b')).not.toBe(key);
    expect(findings.map((f) => [f.ruleId, f.line, f.secret.reveal() === key])).toEqual([
      ['openai.project-key', 3, true],
    ]);
    expect(demoFingerprintKey('seed-a')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('excerpt', () => {
  it('keeps the first lines that carry something: no HTML comments, no runs of blank lines', () => {
    const text = '<!-- marker -->\n\n## Title\n\n\n\nOne\nTwo\n\nThree\nFour\n';

    expect(excerpt(text, 10)).toBe('## Title\n\nOne\nTwo\n\nThree\nFour');
    expect(excerpt(text, 3)).toBe('## Title\n\nOne\n… (4 more lines)');
  });
});
