import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { PositiveExample, Rule, RuleFamily } from '../types.js';

/**
 * LangSmith API keys: `lsv2_pt_` (personal access token) and `lsv2_sk_` (service key), then a dashless
 * UUID (32 lower-case hex) and `_` + 10 lower-case hex (docs.langchain.com/langsmith/create-account-api-key;
 * gitleaks `langsmith.go`). The UUID part carries the RFC 9562 version and variant nibbles in every public
 * key we found; we check those, not a checksum (none is documented, and the 10-hex tail is not a CRC32 or
 * hash prefix of the rest).
 */

/** True when the 32 hex characters after the 8-character prefix are a dashless RFC 9562 UUID. */
export function hasUuidBody(secret: string): boolean {
  const uuid = secret.slice(8, 40);
  return /^[0-9a-f]{12}[1-8][0-9a-f]{3}[89ab][0-9a-f]{15}$/.test(uuid);
}

/** A key of the documented shape for `prefix` (`lsv2_pt_` or `lsv2_sk_`). */
export function langsmithKey(prefix: string, seed: string): string {
  const hex = (part: string, length: number) => fake(`${seed}:${part}`, length, ALPHABETS.hexLower);
  const uuid = `${hex('a', 12)}4${hex('b', 3)}${fake(`${seed}:variant`, 1, '89ab')}${hex('c', 15)}`;
  return `${prefix}${uuid}_${hex('tail', 10)}`;
}

function inContexts(secret: string): PositiveExample[] {
  return [
    { text: `LANGSMITH_API_KEY=${secret}`, secret },
    { text: `os.environ["LANGCHAIN_API_KEY"] = "${secret}"`, secret },
    { text: `  langsmith:\n    api_key: '${secret}'`, secret },
    { text: `{"env":{"LANGSMITH_TRACING":"true","LANGSMITH_API_KEY":"${secret}"}}`, secret },
    { text: `const client = new Client({ apiKey: "${secret}" });`, secret },
  ];
}

const PREFIXES = ['lsv2_pt_', 'lsv2_sk_'] as const;

/**
 * One rule for personal access tokens (`lsv2_pt_`) and service keys (`lsv2_sk_`): same format, class and
 * severity; the redacted form keeps the prefix, so findings still tell them apart.
 */
const apiKey: Rule = {
  id: 'langsmith.api-key',
  provider: 'langsmith',
  title: 'LangSmith API key (personal access token lsv2_pt_ or service key lsv2_sk_)',
  class: 'observability',
  // high: reads every trace in its workspaces (prompts, outputs, user data) and can call models through
  // the LangSmith LLM Gateway with the provider keys stored there.
  severity: 'high',
  keywords: PREFIXES,
  anchor: 'prefix',
  pattern: prefixed(PREFIXES, '[a-f0-9]{32}_[a-f0-9]{10}'),
  validate: hasUuidBody,
  minEntropy: 3,
  revokeUrl: 'https://smith.langchain.com/settings',
  sample: (seed) => {
    const key = `langsmith.api-key:${seed}`;
    return langsmithKey(fake(key, 1, '01') === '0' ? 'lsv2_pt_' : 'lsv2_sk_', key);
  },
  examples: () => {
    const pat = langsmithKey('lsv2_pt_', 'langsmith.api-key:example');
    const service = langsmithKey('lsv2_sk_', 'langsmith.api-key:example-service');
    const notUuid = `${pat.slice(0, 20)}0${pat.slice(21)}`;
    return {
      positive: [...inContexts(pat), ...inContexts(service).slice(1, 3)],
      negative: [
        `LANGSMITH_API_KEY=${notUuid}`,
        `LANGSMITH_API_KEY=${pat.slice(0, -1)}`,
        `LANGSMITH_API_KEY=${pat}a`,
        `LANGSMITH_API_KEY=${service.toUpperCase().replace('LSV2_SK_', 'lsv2_sk_')}`,
        `LANGSMITH_API_KEY=${service.replace('lsv2_sk_', 'lsv2_xx_')}`,
        'LANGSMITH_API_KEY=lsv2_pt_token_value_here',
        `LANGCHAIN_API_KEY=ls__${fake('langsmith.api-key:legacy', 32, ALPHABETS.hexLower)}`,
      ],
    };
  },
};

export const langsmith: RuleFamily = { id: 'langsmith', rules: [apiKey] };
