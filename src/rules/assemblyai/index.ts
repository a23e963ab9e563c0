import { CONTEXT_WINDOW, namedValue, QUOTE } from '../context.js';
import { ALPHABETS, fake } from '../examples.js';
import { bare } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * AssemblyAI API keys: 32 lowercase hex with no prefix, found only next to the provider's name
 * (`ASSEMBLYAI_API_KEY`, `aai.settings.api_key = …` after `import assemblyai as aai`,
 * `new AssemblyAI({ apiKey })`). Every key we have seen is a dashless random UUID (version nibble `4`,
 * variant nibble `8`–`b`), which the rule checks: that rejects 63 of 64 other 32-hex values (MD5s).
 * Sources: trufflehog `pkg/detectors/assemblyai` (`[0-9a-z]{32}` near `assemblyai`), betterleaks
 * `assemblyai.go`, the AssemblyAI SDK README (`aai.settings.api_key`); the UUID structure is observed in
 * public code, not documented.
 */

/** A fresh key: 32 lowercase hex shaped as a dashless UUID v4. */
function apiKey(seed: string): string {
  const hex = fake(`assemblyai.api-key:${seed}`, 30, ALPHABETS.hexLower);
  const variant = '89ab'[hex.charCodeAt(0) % 4]!;
  return `${hex.slice(0, 12)}4${hex.slice(12, 15)}${variant}${hex.slice(15)}`;
}

/** True for a dashless UUID v4: version nibble `4` at offset 12, RFC 4122 variant at offset 16. */
export function isDashlessUuidV4(value: string): boolean {
  return value.length === 32 && value[12] === '4' && '89ab'.includes(value[16]!);
}

const apiKeyRule: Rule = {
  id: 'assemblyai.api-key',
  provider: 'assemblyai',
  title: 'AssemblyAI API key',
  class: 'model-api',
  // high: lists and reads every transcript of the account (and the audio URLs behind them), deletes
  // them, and transcribes or runs LeMUR on the owner's bill.
  severity: 'high',
  keywords: ['assemblyai', 'assembly_ai', 'assembly-ai', 'aai.settings'],
  anchor: 'window',
  valueShape: bare('[a-f0-9]{32}'),
  pattern: namedValue(['assemblyai', 'assembly_ai', 'assembly-ai', 'aai.settings'], '[a-f0-9]{32}', {
    standalone: ['aai.settings'],
    heads: [`AssemblyAI\\(\\s{0,4}\\{\\s{0,4}apiKey\\s{0,2}:\\s{0,2}${QUOTE}`],
  }),
  window: CONTEXT_WINDOW,
  validate: isDashlessUuidV4,
  minEntropy: 2.8,
  revokeUrl: 'https://www.assemblyai.com/app/api-keys',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const md5 = `${key.slice(0, 12)}7${key.slice(13)}`;
    return {
      positive: [
        { text: `ASSEMBLYAI_API_KEY=${key}`, secret: key },
        { text: `aai.settings.api_key = "${key}"`, secret: key },
        { text: `export ASSEMBLY_AI_KEY="${key}"`, secret: key },
        { text: `const client = new AssemblyAI({ apiKey: '${key}' });`, secret: key },
        { text: `{"assemblyai": {"api_key": "${key}"}}`, secret: key },
        { text: `assemblyai:\n  api_key: ${key}`, secret: key },
      ],
      negative: [
        // no provider name nearby
        `TRANSCRIBE_KEY=${key}`,
        // 32 hex that is not a UUID v4 (an MD5, say) under the provider's name
        `ASSEMBLYAI_API_KEY=${md5}`,
        // a transcript id and a checksum under the provider's name
        `ASSEMBLYAI_TRANSCRIPT_ID=${key}`,
        `assemblyai_audio_md5: ${key}`,
        // `baai.settings` is not `aai.settings`
        `baai.settings.api_key = "${key}"`,
        // too short, uppercase, variable reference
        `ASSEMBLYAI_API_KEY=${key.slice(0, 31)}`,
        `ASSEMBLYAI_API_KEY=${key.toUpperCase()}`,
        `ASSEMBLYAI_API_KEY=\${ASSEMBLYAI_API_KEY}`,
      ],
    };
  },
};

export const assemblyai: RuleFamily = { id: 'assemblyai', rules: [apiKeyRule] };
