import { ALPHABETS, fake } from '../examples.js';
import { bare } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * fal.ai API keys: `<key id>:<key secret>`, read from `FAL_KEY` and sent as `Authorization: Key …`. The
 * id is a UUID and the secret 32 lowercase hex. The shape carries no provider mark, so it counts only
 * within reach of a fal mention (`FAL_KEY`, `fal.ai`, `fal.run`, `fal_client`, `@fal-ai/…`).
 * Sources: fal docs "Authentication" (`FAL_KEY`, `key_id:key_secret`), betterleaks `falai.go`
 * (`<uuid>:<32 hex>` near fal names), redact-secret `docs/audits/evidence/860/fal-contextual-gap.md`.
 */

const UUID = '[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}';

/** A fresh key: a UUID, `:`, 32 lowercase hex. */
function apiKey(seed: string): string {
  const id = fake(`fal.api-key:${seed}:id`, 32, ALPHABETS.hexLower);
  const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
  return `${uuid}:${fake(`fal.api-key:${seed}`, 32, ALPHABETS.hexLower)}`;
}

const apiKeyRule: Rule = {
  id: 'fal.api-key',
  provider: 'fal',
  title: 'fal.ai API key',
  class: 'inference',
  // high: runs any model on fal on the owner's bill (GPU-priced image and video models run up cost
  // fast); ADMIN-scoped keys also deploy and manage apps.
  severity: 'high',
  keywords: ['fal_key', 'fal.ai', 'fal.run', 'fal_client', 'fal-ai'],
  anchor: 'window',
  pattern: new RegExp(`(?<![A-Za-z0-9_-])(?<secret>${UUID}:[a-f0-9]{32})(?![A-Za-z0-9_-])`),
  valueShape: bare(`${UUID}:[a-f0-9]{32}`),
  window: { before: 160, after: 256, multiline: true },
  minEntropy: 3,
  revokeUrl: 'https://fal.ai/dashboard/keys',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const [id, secret] = key.split(':') as [string, string];
    return {
      positive: [
        { text: `FAL_KEY=${key}`, secret: key },
        { text: `export FAL_KEY="${key}"`, secret: key },
        { text: `curl https://fal.run/fal-ai/flux/dev -H "Authorization: Key ${key}"`, secret: key },
        { text: `fal.config({ credentials: "${key}" }); // @fal-ai/client`, secret: key },
        { text: `environment:\n  - FAL_KEY=${key}`, secret: key },
      ],
      negative: [
        // the same shape with no fal mention
        `API_KEY=${key}`,
        // the id or the secret half alone, a short secret
        `FAL_KEY_ID=${id}`,
        `FAL_KEY_SECRET=${secret}`,
        `FAL_KEY=${id}:${secret.slice(0, 31)}`,
        // uppercase, glued, variable reference
        `FAL_KEY=${key.toUpperCase()}`,
        `FAL_KEY=x${key}`,
        `FAL_KEY=\${FAL_KEY}`,
      ],
    };
  },
};

export const fal: RuleFamily = { id: 'fal', rules: [apiKeyRule] };
