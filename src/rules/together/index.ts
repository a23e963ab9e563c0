import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Together AI API keys: `tgp_v1_` + 43 base64url characters (32 random bytes).
 * Sources: trufflehog `pkg/detectors/togetherai` (`tgp_v1_[A-Za-z0-9_-]{43}`), betterleaks
 * `togetherai.go`. Older unprefixed 64-hex keys are not covered (no provider anchor).
 */

const PREFIX = 'tgp_v1_';

/** A fresh key: `tgp_v1_` + 43 base64url. */
function apiKey(seed: string): string {
  return PREFIX + fake(`together.api-key:${seed}`, 43, ALPHABETS.base64url);
}

const apiKeyRule: Rule = {
  id: 'together.api-key',
  provider: 'together',
  title: 'Together AI API key',
  class: 'inference',
  // high: runs every hosted model on the account's bill, reads its uploaded files and fine-tuning jobs,
  // and can start dedicated endpoints and GPU clusters that bill by the hour.
  severity: 'high',
  keywords: [PREFIX],
  anchor: 'prefix',
  pattern: prefixed(PREFIX, '[A-Za-z0-9_-]{43}'),
  minEntropy: 3.9,
  revokeUrl: 'https://api.together.ai/settings/api-keys',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const body = key.slice(PREFIX.length);
    return {
      positive: [
        { text: `TOGETHER_API_KEY=${key}`, secret: key },
        { text: `client = Together(api_key="${key}")`, secret: key },
        { text: `together:\n  api_key: '${key}'`, secret: key },
        { text: `{"apiKey":"${key}","baseURL":"https://api.together.xyz/v1"}`, secret: key },
        { text: `curl -H "Authorization: Bearer ${key}" https://api.together.xyz/v1/models`, secret: key },
      ],
      negative: [
        // 42 and 44 characters
        `TOGETHER_API_KEY=${key.slice(0, -1)}`,
        `TOGETHER_API_KEY=${key}x`,
        // another version, another separator, a character outside base64url
        `TOGETHER_API_KEY=tgp_v2_${body}`,
        `TOGETHER_API_KEY=tgp-v1-${body}`,
        `TOGETHER_API_KEY=${PREFIX}${body.slice(0, 20)}.${body.slice(21)}`,
        // glued to a longer identifier, and a placeholder
        `x${key}`,
        'TOGETHER_API_KEY=tgp_v1_...',
      ],
    };
  },
};

export const together: RuleFamily = { id: 'together', rules: [apiKeyRule] };
