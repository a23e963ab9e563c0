import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Cerebras inference API keys: `csk-` + 48 characters (52 in all). A short-lived `csk_` variant was
 * issued in October 2025 and is still accepted. Issued bodies are lowercase alphanumerics; the rule
 * accepts `[A-Za-z0-9_-]` as the provider never states the alphabet.
 * Sources: trufflehog `pkg/detectors/cerebras` and betterleaks `cerebras.go` (`csk-[a-z0-9]{48}`),
 * Cerebras/vscode-cerebras-chat `src/provider.ts` (prefix `csk-`/`csk_`, length 52), summarised in
 * redact-secret `docs/audits/evidence/860/cerebras.md`.
 */

/** A fresh key: `csk-` + 48 lowercase alphanumerics. */
function apiKey(seed: string): string {
  return `csk-${fake(`cerebras.api-key:${seed}`, 48, ALPHABETS.alnumLower)}`;
}

const apiKeyRule: Rule = {
  id: 'cerebras.api-key',
  provider: 'cerebras',
  title: 'Cerebras inference API key',
  class: 'inference',
  // medium: runs Cerebras-hosted models on the account's quota and bill; the key opens inference only
  // (dedicated-endpoint management uses a separate key).
  severity: 'medium',
  keywords: ['csk-', 'csk_'],
  anchor: 'prefix',
  pattern: prefixed(['csk-', 'csk_'], '[A-Za-z0-9_-]{48}'),
  minEntropy: 3.5,
  revokeUrl: 'https://cloud.cerebras.ai',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const body = key.slice(4);
    const underscore = `csk_${body}`;
    return {
      positive: [
        { text: `CEREBRAS_API_KEY=${key}`, secret: key },
        { text: `client = Cerebras(api_key="${key}")`, secret: key },
        { text: `export CEREBRAS_API_KEY=${underscore}`, secret: underscore },
        { text: `{"provider": "cerebras", "apiKey": "${key}"}`, secret: key },
        { text: `llm:\n  base_url: https://api.cerebras.ai/v1\n  api_key: ${key}`, secret: key },
      ],
      negative: [
        // Pinecone's `pcsk_` keys end in `csk_`: glued, so not a Cerebras key
        `PINECONE_API_KEY=pcsk_${fake('cerebras.api-key:pinecone', 5, ALPHABETS.alnum)}_${fake('cerebras.api-key:pinecone', 64, ALPHABETS.alnum)}`,
        // body of 47 and 49
        `CEREBRAS_API_KEY=csk-${body.slice(0, 47)}`,
        `CEREBRAS_API_KEY=${key}a`,
        // other prefixes and separators
        `CEREBRAS_API_KEY=CSK-${body}`,
        `CEREBRAS_API_KEY=csk.${body}`,
        `CEREBRAS_API_KEY=csk-${body.slice(0, 20)}.${body.slice(21)}`,
        'CEREBRAS_API_KEY=csk-your-key-here',
      ],
    };
  },
};

export const cerebras: RuleFamily = { id: 'cerebras', rules: [apiKeyRule] };
