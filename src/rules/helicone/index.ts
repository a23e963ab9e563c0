import { ALPHABETS, fake } from '../examples.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Helicone (LLM gateway and observability) API keys: a role prefix (`sk-` read-write, `pk-` write-only),
 * `helicone`, optional `-eu` and `-rl` segments, then four groups of 7 `[a-z0-9]` joined by `-`. Proxy
 * keys (`sk-helicone-proxy-…-<uuid>`) stand in for a provider key stored in Helicone's vault.
 * Sources: Helicone `worker/src/lib/util/apiKeyRegex.ts` and `valhalla/jawn/src/managers/apiKeys/
 * KeyManager.ts` (generators), summarised in redact-secret `docs/audits/evidence/860/helicone.md`.
 */

const GROUPS = '[a-z0-9]{7}(?:-[a-z0-9]{7}){3}';
const UUID = '[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}';
const REVOKE_URL = 'https://us.helicone.ai/settings/api-keys';

/** Four groups of 7 lowercase base32 characters, as Helicone's generator emits them. */
function groups(seed: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return [0, 1, 2, 3].map((i) => fake(`${seed}:${i}`, 7, alphabet)).join('-');
}

function keyPattern(role: 'sk' | 'pk'): RegExp {
  return new RegExp(`(?<secret>${role}-helicone-(?:eu-)?(?:rl-)?${GROUPS})(?![A-Za-z0-9_-])`);
}

function sharedNegatives(role: 'sk' | 'pk', key: string, body: string): string[] {
  return [
    // a group of 6 or 8, three or five groups
    `HELICONE_API_KEY=${role}-helicone-${body.slice(1)}`,
    `HELICONE_API_KEY=${key}a`,
    `HELICONE_API_KEY=${role}-helicone-${body.slice(0, 23)}`,
    `HELICONE_API_KEY=${key}-${body.slice(0, 7)}`,
    // `_` for `-`, an uppercase byte, segments out of order
    `HELICONE_API_KEY=${role}-helicone-${body.replaceAll('-', '_')}`,
    `HELICONE_API_KEY=${role}-helicone-${body.toUpperCase()}`,
    `HELICONE_API_KEY=${role}-helicone-rl-eu-${body}`,
    // glued, placeholder
    `x${key}`,
    `HELICONE_API_KEY=${role}-helicone-...`,
  ];
}

const apiKey: Rule = {
  id: 'helicone.api-key',
  provider: 'helicone',
  title: 'Helicone API key (read-write)',
  class: 'observability',
  // high: reads every logged prompt and completion of the organisation (often customer data) and
  // administers it: keys, vaulted provider keys, prompts and alerts.
  severity: 'high',
  keywords: ['sk-helicone-'],
  anchor: 'prefix',
  pattern: keyPattern('sk'),
  minEntropy: 3,
  revokeUrl: REVOKE_URL,
  sample: (seed) => `sk-helicone-${groups(`helicone.api-key:${seed}`)}`,
  examples: () => {
    const body = groups('helicone.api-key:example');
    const key = `sk-helicone-${body}`;
    const eu = `sk-helicone-eu-rl-${body}`;
    return {
      positive: [
        { text: `HELICONE_API_KEY=${key}`, secret: key },
        { text: `default_headers={"Helicone-Auth": "Bearer ${key}"}`, secret: key },
        { text: `export HELICONE_API_KEY="${eu}"`, secret: eu },
        { text: `integrations:\n  helicone:\n    api-key: ${key}`, secret: key },
        { text: `{"heliconeApiKey":"${key}"}`, secret: key },
      ],
      negative: [
        ...sharedNegatives('sk', key, body),
        // the proxy key is its own kind
        `HELICONE_PROXY_KEY=sk-helicone-proxy-${body}-${fake('helicone.api-key:uuid', 8, ALPHABETS.hexLower)}-1234-4abc-8def-${fake('helicone.api-key:uuid', 12, ALPHABETS.hexLower)}`,
      ],
    };
  },
};

const writeKey: Rule = {
  id: 'helicone.write-key',
  provider: 'helicone',
  title: 'Helicone API key (write-only)',
  class: 'observability',
  // medium: cannot read logs, but sends requests and logs into the organisation: log poisoning and
  // usage billed to it. Not a public identifier, whatever the `pk-` suggests.
  severity: 'medium',
  keywords: ['pk-helicone-'],
  anchor: 'prefix',
  pattern: keyPattern('pk'),
  minEntropy: 3,
  revokeUrl: REVOKE_URL,
  sample: (seed) => `pk-helicone-${groups(`helicone.write-key:${seed}`)}`,
  examples: () => {
    const body = groups('helicone.write-key:example');
    const key = `pk-helicone-${body}`;
    const eu = `pk-helicone-eu-${body}`;
    return {
      positive: [
        { text: `HELICONE_WRITE_KEY=${key}`, secret: key },
        { text: `baseURL: "https://gateway.helicone.ai/${key}/v1"`, secret: key },
        { text: `export HELICONE_API_KEY='${eu}'`, secret: eu },
        { text: `{"helicone": {"key": "${key}"}}`, secret: key },
      ],
      negative: sharedNegatives('pk', key, body),
    };
  },
};

/** A fresh proxy key: `sk-helicone-proxy-` + four groups + `-` + a lowercase UUID. */
function proxyKey(seed: string): string {
  const hex = fake(`${seed}:uuid`, 32, ALPHABETS.hexLower);
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  return `sk-helicone-proxy-${groups(seed)}-${uuid}`;
}

const proxyKeyRule: Rule = {
  id: 'helicone.proxy-key',
  provider: 'helicone',
  title: 'Helicone proxy key',
  class: 'observability',
  // high: stands in for a provider key (OpenAI, Anthropic…) held in Helicone's vault, so it calls that
  // provider on the owner's bill, and every call is logged into their organisation.
  severity: 'high',
  keywords: ['sk-helicone-proxy-'],
  anchor: 'prefix',
  pattern: new RegExp(`(?<secret>sk-helicone-proxy-${GROUPS}-${UUID})(?![A-Za-z0-9_-])`),
  minEntropy: 3,
  revokeUrl: REVOKE_URL,
  sample: (seed) => proxyKey(`helicone.proxy-key:${seed}`),
  examples: () => {
    const key = proxyKey('helicone.proxy-key:example');
    const groupsPart = key.slice('sk-helicone-proxy-'.length, 'sk-helicone-proxy-'.length + 31);
    return {
      positive: [
        { text: `OPENAI_API_KEY=${key}`, secret: key },
        { text: `client = OpenAI(api_key="${key}", base_url="https://oai.helicone.ai/v1")`, secret: key },
        { text: `{"apiKey": "${key}"}`, secret: key },
      ],
      negative: [
        // a malformed UUID, a missing UUID, uppercase
        `OPENAI_API_KEY=${key.slice(0, -1)}`,
        `OPENAI_API_KEY=sk-helicone-proxy-${groupsPart}`,
        `OPENAI_API_KEY=${key.toUpperCase()}`,
        `OPENAI_API_KEY=${key.replaceAll('-', '_')}`,
        // glued
        `x${key}`,
      ],
    };
  },
};

export const helicone: RuleFamily = { id: 'helicone', rules: [apiKey, writeKey, proxyKeyRule] };
