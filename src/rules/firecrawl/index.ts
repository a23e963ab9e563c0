import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Firecrawl API keys: `fc-` + a dashless lowercase UUID v4 (the server strips `fc-`, re-inserts the
 * dashes and looks up a Postgres `gen_random_uuid()`), so the version and variant nibbles are checked.
 * Sources: trufflehog `pkg/detectors/firecrawl` and betterleaks `firecrawl.go` (`fc-[a-f0-9]{32}`),
 * firecrawl/firecrawl `apps/api/src/lib/parseApi.ts`, summarised in redact-secret
 * `docs/audits/evidence/860/firecrawl.md`. Legacy dashed-UUID keys (before 2024-04) are not covered.
 */

const PREFIX = 'fc-';

/** True for a dashless UUID v4: version nibble `4` at offset 12, RFC 4122 variant at offset 16. */
function isDashlessUuidV4(hex: string): boolean {
  return hex.length === 32 && hex[12] === '4' && '89ab'.includes(hex[16]!);
}

/** A fresh key: `fc-` + a dashless UUID v4. */
function apiKey(seed: string): string {
  const hex = fake(`firecrawl.api-key:${seed}`, 30, ALPHABETS.hexLower);
  const variant = '89ab'[hex.charCodeAt(1) % 4]!;
  return `${PREFIX}${hex.slice(0, 12)}4${hex.slice(12, 15)}${variant}${hex.slice(15)}`;
}

const apiKeyRule: Rule = {
  id: 'firecrawl.api-key',
  provider: 'firecrawl',
  title: 'Firecrawl API key',
  class: 'agent-tool',
  // medium: spends the team's scrape and crawl credits and reads its recent crawl results; agents and
  // MCP servers hold it, but it opens no model or customer data.
  severity: 'medium',
  keywords: [PREFIX],
  anchor: 'prefix',
  pattern: prefixed(PREFIX, '[a-f0-9]{32}'),
  validate: (secret) => isDashlessUuidV4(secret.slice(PREFIX.length)),
  minEntropy: 2.8,
  revokeUrl: 'https://www.firecrawl.dev/app/api-keys',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const hex = key.slice(PREFIX.length);
    const dashed = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return {
      positive: [
        { text: `FIRECRAWL_API_KEY=${key}`, secret: key },
        { text: `app = FirecrawlApp(api_key="${key}")`, secret: key },
        { text: `"env": {"FIRECRAWL_API_KEY": "${key}"}`, secret: key },
        { text: `const firecrawl = new Firecrawl({ apiKey: '${key}' });`, secret: key },
        { text: `curl -H "Authorization: Bearer ${key}" https://api.firecrawl.dev/v2/scrape`, secret: key },
      ],
      negative: [
        // CSS classes of FullCalendar share the prefix
        '<div class="fc-daygrid-day fc-day-today">',
        // 31 and 33 hex, uppercase, dashed UUID
        `FIRECRAWL_API_KEY=${key.slice(0, -1)}`,
        `FIRECRAWL_API_KEY=${key}a`,
        `FIRECRAWL_API_KEY=fc-${hex.toUpperCase()}`,
        `FIRECRAWL_API_KEY=fc-${dashed}`,
        // not a UUID v4 (an MD5 after the prefix)
        `FIRECRAWL_API_KEY=fc-${hex.slice(0, 12)}1${hex.slice(13)}`,
        // glued, placeholder
        `xfc-${hex}`,
        'FIRECRAWL_API_KEY=fc-YOUR_API_KEY',
      ],
    };
  },
};

export const firecrawl: RuleFamily = { id: 'firecrawl', rules: [apiKeyRule] };
