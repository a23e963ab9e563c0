import { ALPHABETS, fake } from '../examples.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Voyage AI (embeddings and rerankers) API keys: `pa-` (Voyage dashboard) or `al-` (MongoDB Atlas) + 43
 * base64url characters. The two-letter prefixes are too common to anchor on alone, so a key counts only
 * within reach of a `voyage` mention (`VOYAGE_API_KEY=…`, `voyageai.Client(api_key=…)`).
 * Sources: betterleaks `voyageai.go` (`(?:pa|al)-[A-Za-z0-9_-]{43}` near `voyage`), docs.voyageai.com
 * "API key and Python client".
 */

/** A fresh dashboard key: `pa-` + 43 base64url. */
function apiKey(seed: string): string {
  return `pa-${fake(`voyageai.api-key:${seed}`, 43, ALPHABETS.base64url)}`;
}

const apiKeyRule: Rule = {
  id: 'voyageai.api-key',
  provider: 'voyageai',
  title: 'Voyage AI API key',
  class: 'model-api',
  // medium: spends the organisation's embedding and rerank quota; no stored data sits behind the key.
  severity: 'medium',
  keywords: ['voyage'],
  anchor: 'window',
  pattern: /(?<![A-Za-z0-9_-])(?<secret>(?:pa|al)-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
  window: { before: 160, after: 256, multiline: true },
  minEntropy: 3.9,
  revokeUrl: 'https://dashboard.voyageai.com/organization/api-keys',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const body = key.slice(3);
    const atlas = `al-${body}`;
    return {
      positive: [
        { text: `VOYAGE_API_KEY=${key}`, secret: key },
        { text: `vo = voyageai.Client(api_key="${key}")`, secret: key },
        { text: `export VOYAGE_API_KEY='${atlas}'`, secret: atlas },
        { text: `embeddings:\n  provider: voyage\n  api_key: ${key}`, secret: key },
        { text: `{"voyageApiKey": "${key}"}`, secret: key },
      ],
      negative: [
        // the same shape with no `voyage` mention
        `EMBEDDINGS_KEY=${key}`,
        // other prefixes, too short, too long
        `VOYAGE_API_KEY=qa-${body}`,
        `VOYAGE_API_KEY=${key.slice(0, -1)}`,
        `VOYAGE_API_KEY=${key}x`,
        // glued, placeholder
        `VOYAGE_API_KEY=xpa-${body}`,
        'VOYAGE_API_KEY=pa-...',
      ],
    };
  },
};

export const voyageai: RuleFamily = { id: 'voyageai', rules: [apiKeyRule] };
