import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Jina AI (Search Foundation: embeddings, reranker, reader) API keys: `jina_` + 32 lowercase hex (a
 * dashless UUID) + 27 or 28 base64url characters, 59–60 after the prefix.
 * Sources: Nosey Parker rule `np.jina.1` (`jina_` + 60), the gitleaks-AI fork `jina.go` (`jina_` + 59
 * of `[A-Za-z0-9_-]`); the hex head and the `_`/`-` in the tail are seen in keys in public code.
 */

const PREFIX = 'jina_';

/** A fresh key: `jina_` + 32 hex + 28 base64url. */
function apiKey(seed: string): string {
  return (
    PREFIX +
    fake(`jina.api-key:${seed}:head`, 32, ALPHABETS.hexLower) +
    fake(`jina.api-key:${seed}`, 28, ALPHABETS.base64url)
  );
}

const apiKeyRule: Rule = {
  id: 'jina.api-key',
  provider: 'jina',
  title: 'Jina AI API key',
  class: 'model-api',
  // medium: spends the key's token balance on embeddings, reranking and reader calls; no stored data
  // sits behind it.
  severity: 'medium',
  keywords: [PREFIX],
  anchor: 'prefix',
  pattern: prefixed(PREFIX, '[a-f0-9]{32}[A-Za-z0-9_-]{27,28}'),
  minEntropy: 3.5,
  revokeUrl: 'https://jina.ai/api-dashboard/key-manager',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const head = key.slice(PREFIX.length, PREFIX.length + 32);
    const tail = key.slice(PREFIX.length + 32);
    return {
      positive: [
        { text: `JINA_API_KEY=${key}`, secret: key },
        { text: `headers = {"Authorization": "Bearer ${key}"}`, secret: key },
        { text: `embeddings = JinaEmbeddings(jina_api_key="${key}")`, secret: key },
        { text: `jina:\n  api_key: ${key.slice(0, -1)}`, secret: key.slice(0, -1) },
        { text: `export JINA_API_KEY="${key}"`, secret: key },
      ],
      negative: [
        // identifiers that start like the prefix
        'jina_api_key=jina_api_key,',
        'from langchain_community.embeddings import jina_embeddings_v3_base_en_multilingual_model',
        // a tail of 26 and 29
        `JINA_API_KEY=${PREFIX}${head}${tail.slice(0, 26)}`,
        `JINA_API_KEY=${key}a`,
        // uppercase hex head, glued, placeholder
        `JINA_API_KEY=${PREFIX}${head.toUpperCase()}${tail}`,
        `x${key}`,
        'JINA_API_KEY=jina_xxx',
      ],
    };
  },
};

export const jina: RuleFamily = { id: 'jina', rules: [apiKeyRule] };
