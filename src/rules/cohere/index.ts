import { CONTEXT_WINDOW, namedValue, QUOTE } from '../context.js';
import { ALPHABETS, fake } from '../examples.js';
import { bare } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Cohere API keys: 40 alphanumerics with no prefix, so they are found only next to the provider's name
 * (`COHERE_API_KEY`, the SDK's `CO_API_KEY`, `cohere.ClientV2(api_key=…)`, `new CohereClient({ token })`).
 * Sources: gitleaks `cohere.go` (`[a-zA-Z0-9]{40}` near `cohere` / `CO_API_KEY`), trufflehog
 * `pkg/detectors/cohere`, cohere-go `client/client.go` (reads `CO_API_KEY`).
 */

/** A fresh 40-character alphanumeric key. */
function apiKey(seed: string): string {
  return fake(`cohere.api-key:${seed}`, 40, ALPHABETS.alnum);
}

const apiKeyRule: Rule = {
  id: 'cohere.api-key',
  provider: 'cohere',
  title: 'Cohere API key',
  class: 'model-api',
  // high: calls Cohere's generation, embedding and rerank models on the owner's bill, and reads the
  // datasets, connectors and fine-tuned models of their organisation.
  severity: 'high',
  keywords: ['cohere', 'co_api_key'],
  anchor: 'window',
  valueShape: bare('[A-Za-z0-9]{40}'),
  pattern: namedValue(['cohere', 'co_api_key'], '[A-Za-z0-9]{40}', {
    standalone: ['co_api_key'],
    notWords: ['coheren'],
    heads: [
      // Python: cohere.Client("…"), cohere.ClientV2(api_key="…"), cohere.AsyncClientV2(…)
      `[Cc]ohere\\.(?:Async)?Client(?:V2)?\\(\\s{0,4}(?:api_key\\s{0,2}=\\s{0,2})?${QUOTE}`,
      // TypeScript: new CohereClient({ token: "…" }), new CohereClientV2({ token: '…' })
      `CohereClient(?:V2)?\\(\\s{0,4}\\{\\s{0,4}token\\s{0,2}:\\s{0,2}${QUOTE}`,
    ],
  }),
  window: CONTEXT_WINDOW,
  // 40 random alphanumerics carry about 4.8 bits per character and never fall below 4.1 in practice,
  // while a hex digest (a git SHA) can carry at most 4.0: the floor rejects every hex value outright.
  minEntropy: 4.1,
  revokeUrl: 'https://dashboard.cohere.com/api-keys',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const sha = fake('cohere.api-key:sha', 40, ALPHABETS.hexLower);
    return {
      positive: [
        { text: `COHERE_API_KEY=${key}`, secret: key },
        { text: `export CO_API_KEY="${key}"`, secret: key },
        { text: `cohere:\n  api_key: '${key}'`, secret: key },
        { text: `{"cohere_api_key": "${key}", "model": "command-r-plus"}`, secret: key },
        { text: `co = cohere.ClientV2(api_key="${key}")`, secret: key },
        { text: `const cohere = new CohereClient({ token: '${key}' });`, secret: key },
        { text: `ENV COHERE_API_KEY ${key}`, secret: key },
        { text: `[cohere]\napi_key = "${key}"`, secret: key },
      ],
      negative: [
        // no provider name nearby
        `API_KEY=${key}`,
        // a variable reference, not a value
        `COHERE_API_KEY=\${COHERE_API_KEY}`,
        // a git SHA under a provider-named variable
        `cohere_model_sha: ${sha}`,
        `COHERE_COMMIT=${sha}`,
        // too short, too long
        `COHERE_API_KEY=${key.slice(0, 39)}`,
        `COHERE_API_KEY=${key}x9`,
        // `taco_api_key` is not `co_api_key`; `coherent` is not `cohere`
        `TACO_API_KEY=${key}`,
        `coherent_state_seed = "${key}"`,
        // a hex value (at most 4 bits per character) is never a Cohere key
        `COHERE_API_KEY=${sha}`,
      ],
    };
  },
};

export const cohere: RuleFamily = { id: 'cohere', rules: [apiKeyRule] };
