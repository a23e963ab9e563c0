import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';
import { openrouter } from './index.js';

const engine = compileRules(allRules);
const [rule] = openrouter.rules;

describe('openrouter.api-key', () => {
  it('samples sk-or-v1- and 64 hex characters', () => {
    expect(rule!.sample('shape')).toMatch(/^sk-or-v1-[a-f0-9]{64}$/);
  });

  it('accepts the unversioned and later-version forms gitleaks allows', () => {
    const hex = fake('openrouter:versions', 64, ALPHABETS.hexLower);

    const found = scanText(`a=sk-or-${hex}\nb=sk-or-v2-${hex}`, engine).map((f) => [
      f.ruleId,
      f.secret.reveal(),
    ]);

    expect(found).toEqual([
      ['openrouter.api-key', `sk-or-${hex}`],
      ['openrouter.api-key', `sk-or-v2-${hex}`],
    ]);
  });

  it('is not mistaken for an OpenAI or DeepSeek key', () => {
    const key = rule!.sample('alone');

    const found = scanText(`OPENAI_API_KEY=${key}  # deepseek fallback`, engine).map((f) => f.ruleId);

    expect(found).toEqual(['openrouter.api-key']);
  });

  it('redacts to the version prefix and four characters', () => {
    const key = rule!.sample('redact');

    const [finding] = scanText(`OPENROUTER_API_KEY=${key}`, engine);

    expect(finding?.redacted).toBe(`sk-or-v1-…${key.slice(-4)}`);
  });
});
