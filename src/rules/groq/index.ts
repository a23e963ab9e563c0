import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Groq API keys: `gsk_` + 52 alphanumerics (trufflehog `pkg/detectors/groq`). gitleaks (`groq.go`)
 * says 48, so 48 to 52 are accepted.
 */

function keyOf(seed: string): string {
  return `gsk_${fake(seed, 52, ALPHABETS.alnum)}`;
}

const apiKey: Rule = {
  id: 'groq.api-key',
  provider: 'groq',
  title: 'Groq API key',
  class: 'model-api',
  // high: runs inference on the organisation's bill and quota; keys do not expire.
  severity: 'high',
  keywords: ['gsk_'],
  anchor: 'prefix',
  pattern: prefixed('gsk_', '[A-Za-z0-9]{48,52}'),
  minEntropy: 3.5,
  revokeUrl: 'https://console.groq.com/keys',
  sample: (seed) => keyOf(`groq:${seed}`),
  examples: () => {
    const secret = keyOf('groq:example');
    const body = fake('groq:near', 52, ALPHABETS.alnum);
    return {
      positive: [
        { text: `GROQ_API_KEY=${secret}`, secret },
        { text: `client = Groq(api_key="${secret}")`, secret },
        { text: `const groq = new Groq({ apiKey: '${secret}' });`, secret },
        { text: `  groq_api_key: ${secret}`, secret },
        { text: `{"GROQ_API_KEY":"${secret}"}`, secret },
        { text: `export GROQ_API_KEY=${secret}`, secret },
      ],
      negative: [
        // Too short, too long.
        `GROQ_API_KEY=gsk_${body.slice(0, 40)}`,
        `GROQ_API_KEY=gsk_${body}${body.slice(0, 8)}`,
        // Wrong charset: `-` and `_` are not part of Groq keys.
        `GROQ_API_KEY=gsk_${body.slice(0, 20)}-${body.slice(21)}`,
        // Upper-case prefix.
        `GROQ_API_KEY=GSK_${body}`,
        // Identifiers that merely start like the prefix.
        `gsk_config_path = "/etc/gsk_settings.json"`,
        // Glued to an identifier.
        `value=xgsk_${body}`,
      ],
    };
  },
};

export const groq: RuleFamily = { id: 'groq', rules: [apiKey] };
