import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * OpenRouter API keys: `sk-or-v1-` + 64 lower-case hex characters (trufflehog `pkg/detectors/openrouter`,
 * gitleaks `openrouter.go`, which also allows another version digit or none: `sk-or(-v\d+)?-`).
 */

function keyOf(seed: string): string {
  return `sk-or-v1-${fake(seed, 64, ALPHABETS.hexLower)}`;
}

const apiKey: Rule = {
  id: 'openrouter.api-key',
  provider: 'openrouter',
  title: 'OpenRouter API key',
  class: 'model-api',
  // high: spends the account's credits on any of hundreds of models, with no per-provider limit.
  severity: 'high',
  keywords: ['sk-or-'],
  anchor: 'prefix',
  pattern: prefixed('sk-or-', '(?:v[0-9]{1,2}-)?[a-f0-9]{64}'),
  visiblePrefix: 'sk-or-v1-',
  minEntropy: 3,
  revokeUrl: 'https://openrouter.ai/settings/keys',
  sample: (seed) => keyOf(`openrouter:${seed}`),
  examples: () => {
    const secret = keyOf('openrouter:example');
    const hex = fake('openrouter:near', 64, ALPHABETS.hexLower);
    return {
      positive: [
        { text: `OPENROUTER_API_KEY=${secret}`, secret },
        {
          text: `const client = new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', apiKey: '${secret}' });`,
          secret,
        },
        { text: `export OPENROUTER_API_KEY="${secret}"`, secret },
        { text: `  openrouter_key: ${secret}`, secret },
        { text: `{"provider":"openrouter","key":"${secret}"}`, secret },
        { text: `headers = {"Authorization": f"Bearer ${secret}"}`, secret },
      ],
      negative: [
        // Too short, too long.
        `OPENROUTER_API_KEY=sk-or-v1-${hex.slice(0, 63)}`,
        `OPENROUTER_API_KEY=sk-or-v1-${hex}${hex.slice(0, 8)}`,
        // Wrong charset: upper-case hex, a non-hex letter.
        `OPENROUTER_API_KEY=sk-or-v1-${hex.toUpperCase()}`,
        `OPENROUTER_API_KEY=sk-or-v1-g${hex.slice(1)}`,
        // An identifier that merely starts like the prefix.
        `const KEY_PREFIX = 'sk-or-v1-'; // sk-or-v1-keys are shown once`,
        // Another provider's sk- key: DeepSeek-shaped and an Anthropic key.
        `OPENROUTER_API_KEY=sk-${fake('openrouter:deepseek', 32, ALPHABETS.hexLower)}`,
        `OPENROUTER_API_KEY=sk-ant-v1-${hex}`,
      ],
    };
  },
};

export const openrouter: RuleFamily = { id: 'openrouter', rules: [apiKey] };
