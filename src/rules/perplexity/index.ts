import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Perplexity API keys: `pplx-` + 48 characters. trufflehog (`pkg/detectors/perplexity`) says
 * alphanumerics; gitleaks (`perplexity.go`) uses `\w`, so `_` is accepted too.
 */

function keyOf(seed: string): string {
  return `pplx-${fake(seed, 48, ALPHABETS.alnum)}`;
}

const apiKey: Rule = {
  id: 'perplexity.api-key',
  provider: 'perplexity',
  title: 'Perplexity API key',
  class: 'model-api',
  // high: runs Sonar search and chat on the account's prepaid credits and auto top-up.
  severity: 'high',
  keywords: ['pplx-'],
  anchor: 'prefix',
  pattern: prefixed('pplx-', '[A-Za-z0-9_]{48}'),
  minEntropy: 3.5,
  revokeUrl: 'https://www.perplexity.ai/settings/api',
  sample: (seed) => keyOf(`perplexity:${seed}`),
  examples: () => {
    const secret = keyOf('perplexity:example');
    const body = fake('perplexity:near', 48, ALPHABETS.alnum);
    return {
      positive: [
        { text: `PERPLEXITY_API_KEY=${secret}`, secret },
        { text: `client = OpenAI(api_key="${secret}", base_url="https://api.perplexity.ai")`, secret },
        { text: `  pplx_api_key: "${secret}"`, secret },
        { text: `{"mcpServers":{"perplexity":{"env":{"PERPLEXITY_API_KEY":"${secret}"}}}}`, secret },
        { text: `export PPLX_API_KEY='${secret}'`, secret },
      ],
      negative: [
        // Too short, too long.
        `PERPLEXITY_API_KEY=pplx-${body.slice(0, 47)}`,
        `PERPLEXITY_API_KEY=pplx-${body}Z`,
        // Wrong charset: a dash inside the body.
        `PERPLEXITY_API_KEY=pplx-${body.slice(0, 24)}-${body.slice(25)}`,
        // Identifiers that merely start like the prefix.
        `model: pplx-70b-online  # pplx-api docs`,
        // Upper-case prefix.
        `PERPLEXITY_API_KEY=PPLX-${body}`,
        // Glued to an identifier.
        `id=my_pplx-${body}`,
      ],
    };
  },
};

export const perplexity: RuleFamily = { id: 'perplexity', rules: [apiKey] };
