import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * xAI (Grok) API keys: `xai-` + 80 characters. gitleaks (`xai.go`) says alphanumerics; trufflehog
 * (`pkg/detectors/xai`) also allows `_`, so both are accepted.
 */

function keyOf(seed: string): string {
  return `xai-${fake(seed, 80, ALPHABETS.alnum)}`;
}

const apiKey: Rule = {
  id: 'xai.api-key',
  provider: 'xai',
  title: 'xAI API key',
  class: 'model-api',
  // high: calls Grok models on the team's bill; keys carry no expiry by default.
  severity: 'high',
  keywords: ['xai-'],
  anchor: 'prefix',
  pattern: prefixed('xai-', '[A-Za-z0-9_]{80}'),
  minEntropy: 3.5,
  revokeUrl: 'https://console.x.ai',
  sample: (seed) => keyOf(`xai:${seed}`),
  examples: () => {
    const secret = keyOf('xai:example');
    const body = fake('xai:near', 80, ALPHABETS.alnum);
    return {
      positive: [
        { text: `XAI_API_KEY=${secret}`, secret },
        { text: `client = Client(api_key="${secret}")`, secret },
        { text: `  grok_api_key: '${secret}'`, secret },
        { text: `{"xai":{"apiKey":"${secret}"}}`, secret },
        { text: `curl https://api.x.ai/v1/chat/completions -H "Authorization: Bearer ${secret}"`, secret },
        { text: `"env": "XAI_API_KEY=\\n${secret}\\n"`, secret },
      ],
      negative: [
        // Too short, too long.
        `XAI_API_KEY=xai-${body.slice(0, 79)}`,
        `XAI_API_KEY=xai-${body}Q`,
        // Wrong charset: a dot inside the body.
        `XAI_API_KEY=xai-${body.slice(0, 40)}.${body.slice(41)}`,
        // Identifiers that merely start like the prefix.
        `model = "xai-grok-2-latest"  # via xai-sdk`,
        `import { createXai } from '@ai-sdk/xai'; const id = 'xai-org/grok-1';`,
        // Upper-case prefix: not how xAI writes keys.
        `XAI_API_KEY=XAI-${body}`,
        // Glued to an identifier.
        `name=taxai-${body}`,
      ],
    };
  },
};

export const xai: RuleFamily = { id: 'xai', rules: [apiKey] };
