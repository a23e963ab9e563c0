import { CONTEXT_WINDOW, namedValue, QUOTE } from '../context.js';
import { ALPHABETS, fake } from '../examples.js';
import { bare, prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * ElevenLabs API keys, sent in the `xi-api-key` header.
 * - Current keys: `sk_` + 48 lowercase hex.
 * - Legacy keys: 32 lowercase hex with no prefix, found only next to `elevenlabs` / `xi-api-key`.
 * Sources: trufflehog `pkg/detectors/elevenlabs` v2 (`sk_[a-f0-9]{48}`) and v1 (32 hex near `elevenlabs`
 * or `xi-api-key`), betterleaks `elevenlabs.go`, elevenlabs.io API reference "Authentication".
 */

/** A fresh current key: `sk_` + 48 lowercase hex. */
function apiKey(seed: string): string {
  return `sk_${fake(`elevenlabs.api-key:${seed}`, 48, ALPHABETS.hexLower)}`;
}

/** A fresh legacy key: 32 lowercase hex. */
function legacyKey(seed: string): string {
  return fake(`elevenlabs.legacy-api-key:${seed}`, 32, ALPHABETS.hexLower);
}

const apiKeyRule: Rule = {
  id: 'elevenlabs.api-key',
  provider: 'elevenlabs',
  title: 'ElevenLabs API key',
  class: 'model-api',
  // high: synthesises speech and clones voices on the owner's character quota, and reads the account's
  // generation history and voice library (recordings of real people).
  severity: 'high',
  keywords: ['sk_'],
  anchor: 'prefix',
  // `sk_` alone is everywhere (`task_sk_…`, `disk_size`, Stripe's `sk_live_`): the engine drops hits glued
  // to a preceding identifier character, and the body must be exactly 48 lowercase hex.
  pattern: prefixed('sk_', '[a-f0-9]{48}'),
  visiblePrefix: 'sk_',
  minEntropy: 3.1,
  revokeUrl: 'https://elevenlabs.io/app/settings/api-keys',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const body = key.slice(3);
    return {
      positive: [
        { text: `ELEVENLABS_API_KEY=${key}`, secret: key },
        { text: `curl https://api.elevenlabs.io/v1/voices -H "xi-api-key: ${key}"`, secret: key },
        { text: `client = ElevenLabs(api_key="${key}")`, secret: key },
        { text: `{"elevenlabs": {"apiKey": "${key}"}}`, secret: key },
        { text: `export XI_API_KEY=${key}`, secret: key },
        { text: `"text": "my key is\\n${key}\\nthanks"`, secret: key },
      ],
      negative: [
        // glued to a longer identifier
        `task_${key}`,
        'disk_size = 48',
        // Stripe's secret keys share `sk_`
        `STRIPE_KEY=sk_live_${fake('elevenlabs.api-key:stripe', 48, ALPHABETS.alnum)}`,
        // 47 and 49 hex, uppercase hex, non-hex body
        `ELEVENLABS_API_KEY=sk_${body.slice(0, 47)}`,
        `ELEVENLABS_API_KEY=${key}a`,
        `ELEVENLABS_API_KEY=sk_${body.toUpperCase()}`,
        `ELEVENLABS_API_KEY=sk_${fake('elevenlabs.api-key:alnum', 48, ALPHABETS.alnumLower).replace(/[0-9a-f]/, 'z')}`,
      ],
    };
  },
};

const legacyApiKey: Rule = {
  id: 'elevenlabs.legacy-api-key',
  provider: 'elevenlabs',
  title: 'ElevenLabs API key (legacy 32-hex)',
  class: 'model-api',
  // high: the same access as a current key.
  severity: 'high',
  keywords: ['elevenlabs', 'eleven_labs', 'eleven-labs', 'xi-api-key', 'xi_api_key'],
  anchor: 'window',
  valueShape: bare('[a-f0-9]{32}'),
  pattern: namedValue(
    ['elevenlabs', 'eleven_labs', 'eleven-labs', 'xi-api-key', 'xi_api_key'],
    '[a-f0-9]{32}',
    {
      standalone: ['xi-api-key', 'xi_api_key'],
      heads: [
        `ElevenLabs\\(\\s{0,4}(?:api_key\\s{0,2}=\\s{0,2})?${QUOTE}`,
        `ElevenLabsClient\\(\\s{0,4}\\{\\s{0,4}apiKey\\s{0,2}:\\s{0,2}${QUOTE}`,
      ],
    },
  ),
  window: CONTEXT_WINDOW,
  minEntropy: 2.8,
  revokeUrl: 'https://elevenlabs.io/app/settings/api-keys',
  sample: legacyKey,
  examples: () => {
    const key = legacyKey('example');
    return {
      positive: [
        { text: `ELEVENLABS_API_KEY=${key}`, secret: key },
        { text: `headers = {"xi-api-key": "${key}", "Content-Type": "application/json"}`, secret: key },
        { text: `export ELEVEN_LABS_API_KEY="${key}"`, secret: key },
        { text: `const client = new ElevenLabsClient({ apiKey: "${key}" });`, secret: key },
        { text: `elevenlabs:\n  api_key: ${key}`, secret: key },
      ],
      negative: [
        // no provider name nearby (an MD5, say)
        `checksum: ${key}`,
        // `taxi_api_key` is not `xi_api_key`
        `TAXI_API_KEY=${key}`,
        // a voice id and a digest under the provider's name
        `ELEVENLABS_VOICE_ID=${key}`,
        `elevenlabs_audio_sha: ${key}`,
        // too short, uppercase, variable reference
        `ELEVENLABS_API_KEY=${key.slice(0, 31)}`,
        `ELEVENLABS_API_KEY=${key.toUpperCase()}`,
        `ELEVENLABS_API_KEY=\${ELEVENLABS_API_KEY}`,
      ],
    };
  },
};

export const elevenlabs: RuleFamily = { id: 'elevenlabs', rules: [apiKeyRule, legacyApiKey] };
