import { CONTEXT_WINDOW, namedValue, QUOTE } from '../context.js';
import { ALPHABETS, fake } from '../examples.js';
import { bare } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Deepgram API keys: 40 lowercase hex with no prefix, sent as `Authorization: Token <key>`. Found only
 * next to the provider's name (`DEEPGRAM_API_KEY`, `DeepgramClient("…")`) or in the documented header
 * within reach of a `deepgram` mention (a curl to api.deepgram.com).
 * Sources: trufflehog `pkg/detectors/deepgram` (`[0-9a-z]{40}` near `deepgram`), betterleaks
 * `deepgram.go` (40 hex), developers.deepgram.com "Authentication".
 */

/** A fresh key: 40 lowercase hex. */
function apiKey(seed: string): string {
  return fake(`deepgram.api-key:${seed}`, 40, ALPHABETS.hexLower);
}

const apiKeyRule: Rule = {
  id: 'deepgram.api-key',
  provider: 'deepgram',
  title: 'Deepgram API key',
  class: 'model-api',
  // high: speech-to-text and text-to-speech on the project's bill, plus the project endpoints (usage,
  // request history, members and keys) that the key's role allows.
  severity: 'high',
  keywords: ['deepgram'],
  anchor: 'window',
  // 40 hex is also a git SHA: the value counts only under a `deepgram` name that is not a commit, hash or
  // id, in `DeepgramClient(…)`, or as `Authorization: Token …` (capital T, Deepgram's scheme) near a
  // `deepgram` mention.
  valueShape: bare('[a-f0-9]{40}'),
  pattern: namedValue(['deepgram'], '[a-f0-9]{40}', {
    heads: [
      `DeepgramClient\\(\\s{0,4}(?:api_key\\s{0,2}=\\s{0,2})?${QUOTE}`,
      `[Aa]uthorization["']?\\s{0,4}:\\s{0,4}["']?Token\\s{1,4}`,
    ],
  }),
  window: CONTEXT_WINDOW,
  minEntropy: 3,
  revokeUrl: 'https://console.deepgram.com/project/keys',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    return {
      positive: [
        { text: `DEEPGRAM_API_KEY=${key}`, secret: key },
        { text: `export DEEPGRAM_API_KEY="${key}"`, secret: key },
        { text: `deepgram = DeepgramClient("${key}")`, secret: key },
        { text: `{"deepgramApiKey": "${key}", "model": "nova-3"}`, secret: key },
        {
          text: `curl https://api.deepgram.com/v1/listen -H "Authorization: Token ${key}" --data-binary @a.wav`,
          secret: key,
        },
        { text: `deepgram:\n  api_key: "${key}"`, secret: key },
        { text: `ENV DEEPGRAM_API_KEY ${key}`, secret: key },
      ],
      negative: [
        // the same value with no provider name is a git SHA
        `GIT_COMMIT=${key}`,
        `Authorization: Token ${key}`,
        // digests and ids under a deepgram name
        `DEEPGRAM_PROJECT_ID=${key}`,
        `deepgram_model_sha: ${key}`,
        // variable reference, too short, too long, uppercase
        `DEEPGRAM_API_KEY=\${DEEPGRAM_API_KEY}`,
        `DEEPGRAM_API_KEY=${key.slice(0, 39)}`,
        `DEEPGRAM_API_KEY=${key}ab`,
        `DEEPGRAM_API_KEY=${key.toUpperCase()}`,
      ],
    };
  },
};

export const deepgram: RuleFamily = { id: 'deepgram', rules: [apiKeyRule] };
