import { CONTEXT_WINDOW, namedValue, QUOTE } from '../context.js';
import { ALPHABETS, fake } from '../examples.js';
import { bare } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Mistral AI API keys (La Plateforme and Codestral): 32 mixed-case alphanumerics with no documented
 * prefix, so they are found only next to the provider's name (`MISTRAL_API_KEY`, `CODESTRAL_API_KEY`,
 * `Mistral(api_key=…)`, `new Mistral({ apiKey })`).
 * Sources: trufflehog `pkg/detectors/mistral` (`[A-Za-z0-9]{32}` near `mistral`), betterleaks `mistral.go`,
 * docs.mistral.ai "API keys".
 */

/** A fresh 32-character alphanumeric key. */
function apiKey(seed: string): string {
  return fake(`mistral.api-key:${seed}`, 32, ALPHABETS.alnum);
}

const apiKeyRule: Rule = {
  id: 'mistral.api-key',
  provider: 'mistral',
  title: 'Mistral AI API key',
  class: 'model-api',
  // high: calls every Mistral model on the workspace's bill and reads its files, fine-tuning jobs,
  // fine-tuned models and agents.
  severity: 'high',
  keywords: ['mistral', 'codestral'],
  anchor: 'window',
  valueShape: bare('[A-Za-z0-9]{32}'),
  pattern: namedValue(['mistral', 'codestral'], '[A-Za-z0-9]{32}', {
    heads: [
      // Python: Mistral(api_key="…"), MistralClient(api_key="…"), ChatMistralAI(api_key="…");
      // TypeScript: new Mistral({ apiKey: "…" })
      `Mistral(?:AI|Client)?\\(\\s{0,4}(?:\\{\\s{0,4}apiKey\\s{0,2}:\\s{0,2}|api_key\\s{0,2}=\\s{0,2})?${QUOTE}`,
    ],
  }),
  window: CONTEXT_WINDOW,
  // 32 random alphanumerics carry about 4.5 bits per character (below 4.05 about once in 2,000 keys);
  // a hex digest carries at most 4.0, so an MD5 or a truncated SHA under a Mistral name never passes.
  minEntropy: 4.05,
  revokeUrl: 'https://console.mistral.ai/api-keys',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const md5 = fake('mistral.api-key:md5', 32, ALPHABETS.hexLower);
    return {
      positive: [
        { text: `MISTRAL_API_KEY=${key}`, secret: key },
        { text: `export CODESTRAL_API_KEY='${key}'`, secret: key },
        { text: `mistral:\n  api_key: "${key}"`, secret: key },
        { text: `{"mistralApiKey": "${key}"}`, secret: key },
        { text: `client = Mistral(api_key="${key}")`, secret: key },
        { text: `const client = new Mistral({ apiKey: "${key}" });`, secret: key },
        { text: `ENV MISTRAL_API_KEY=${key}`, secret: key },
      ],
      negative: [
        // no provider name nearby
        `LLM_API_KEY=${key}`,
        // variable references
        `MISTRAL_API_KEY=\${MISTRAL_API_KEY}`,
        `mistral_api_key = os.environ["MISTRAL_API_KEY"]`,
        // a digest or an id under a Mistral name
        `mistral_weights_md5: ${md5}`,
        `MISTRAL_AGENT_ID=${key}`,
        // too short, too long, wrong charset
        `MISTRAL_API_KEY=${key.slice(0, 31)}`,
        `MISTRAL_API_KEY=${key}Zz`,
        `MISTRAL_API_KEY=${key.slice(0, 16)}-${key.slice(16, 31)}`,
        // a hex value is never a Mistral key
        `MISTRAL_API_KEY=${md5}`,
      ],
    };
  },
};

export const mistral: RuleFamily = { id: 'mistral', rules: [apiKeyRule] };
