import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function tavilySecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'tavily.api-key')
    .map((finding) => finding.secret.reveal());
}

describe('tavily.api-key', () => {
  const body32 = fake('tavily.test', 32, ALPHABETS.alnum);
  const segment = fake('tavily.test:segment', 5, ALPHABETS.alnum);
  const body42 = fake('tavily.test', 42, ALPHABETS.alnum);

  it('accepts the classic, environment and segmented shapes', () => {
    for (const key of [
      `tvly-${body32}`,
      `tvly-dev-${body32}`,
      `tvly-prod-${body32}`,
      `tvly-dev-${segment}-${body42}`,
      `tvly-prod-${segment}X-${body42}`,
    ]) {
      expect(tavilySecrets(`TAVILY_API_KEY=${key}`)).toEqual([key]);
    }
  });

  it('does not take a segment without an environment, or a second segment', () => {
    expect(tavilySecrets(`TAVILY_API_KEY=tvly-${segment}-${body42}`)).toEqual([]);
    expect(tavilySecrets(`TAVILY_API_KEY=tvly-dev-${segment}-${segment}-${body42}`)).toEqual([]);
  });

  it('ignores placeholders from the docs', () => {
    expect(tavilySecrets('TavilyClient(api_key="tvly-YOUR_API_KEY")')).toEqual([]);
    expect(tavilySecrets('TAVILY_API_KEY=tvly-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')).toEqual([]);
  });
});
