import { crc32 } from 'node:zlib';
import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { PositiveExample, Rule, RuleFamily } from '../types.js';

/**
 * Cloudflare API tokens in the scannable format (2026): `cfut_` (user) or `cfat_` (account) + 40 random
 * base62 characters + an 8-character checksum. Cloudflare documents "40 characters and a checksum"
 * (developers.cloudflare.com/fundamentals/api/get-started/token-formats/) but not the algorithm: it is
 * the CRC32 (IEEE) of the 40 random characters as 8 lower-case hex digits, reproduced on public tokens.
 */

const RANDOM_LENGTH = 40;

function checksumOf(random: string): string {
  return crc32(random).toString(16).padStart(8, '0');
}

/** True when the last 8 characters are the CRC32 of the 40 random characters after the 5-character prefix. */
export function hasCloudflareChecksum(token: string): boolean {
  const random = token.slice(5, 5 + RANDOM_LENGTH);
  return random.length === RANDOM_LENGTH && checksumOf(random) === token.slice(5 + RANDOM_LENGTH);
}

/** A token with a valid checksum, e.g. `cloudflareToken('cfut_', 'seed')`. */
export function cloudflareToken(prefix: string, seed: string): string {
  const random = fake(seed, RANDOM_LENGTH, ALPHABETS.alnum);
  return `${prefix}${random}${checksumOf(random)}`;
}

function inContexts(secret: string): PositiveExample[] {
  return [
    { text: `CLOUDFLARE_API_TOKEN=${secret}`, secret },
    { text: `[vars]\napi_token = "${secret}"`, secret },
    { text: `{"cloudflare":{"apiToken":"${secret}","accountId":"0123abcd"}}`, secret },
    {
      text: `curl -H "Authorization: Bearer ${secret}" https://api.cloudflare.com/client/v4/accounts`,
      secret,
    },
    { text: `const ai = new Ai({ token: '${secret}' });`, secret },
  ];
}

const PREFIXES = ['cfut_', 'cfat_'] as const;

/**
 * One rule for both token kinds: same format, check, class and severity; the redacted form keeps the
 * prefix, so findings still tell a user token (`cfut_…`) from an account token (`cfat_…`).
 */
const apiToken: Rule = {
  id: 'cloudflare.api-token',
  provider: 'cloudflare',
  title: 'Cloudflare API token (user cfut_ or account cfat_)',
  // cloud-ai: an account-level cloud credential; its AI reach is Workers AI, AI Gateway and Vectorize,
  // alongside whatever else (DNS, Workers, R2) its policies grant. See readme.md.
  class: 'cloud-ai',
  // high: scope is unknown from the text and may be full account edit; Cloudflare auto-revokes public leaks.
  severity: 'high',
  keywords: PREFIXES,
  anchor: 'prefix',
  pattern: prefixed(PREFIXES, '[A-Za-z0-9]{40}[a-f0-9]{8}'),
  validate: hasCloudflareChecksum,
  minEntropy: 3,
  // User tokens; account-owned tokens live under Manage Account → API Tokens.
  revokeUrl: 'https://dash.cloudflare.com/profile/api-tokens',
  sample: (seed) => {
    const key = `cloudflare.api-token:${seed}`;
    return cloudflareToken(fake(key, 1, '01') === '0' ? 'cfut_' : 'cfat_', key);
  },
  examples: () => {
    const user = cloudflareToken('cfut_', 'cloudflare.api-token:example');
    const account = cloudflareToken('cfat_', 'cloudflare.api-token:example-account');
    const badChecksum = user.slice(0, -1) + (user.endsWith('0') ? '1' : '0');
    return {
      positive: [...inContexts(user), ...inContexts(account).slice(0, 2)],
      negative: [
        `CLOUDFLARE_API_TOKEN=${badChecksum}`,
        `CLOUDFLARE_API_TOKEN=${user.slice(0, -1)}`,
        `CLOUDFLARE_API_TOKEN=${user}0`,
        `CLOUDFLARE_API_TOKEN=${user.slice(0, -1)}g`,
        `CLOUDFLARE_API_TOKEN=${account.replace('cfat_', 'cfxt_')}`,
        'CLOUDFLARE_API_TOKEN=cfut_token_value_here',
        `CLOUDFLARE_API_KEY=cfk_${fake('cloudflare.api-token:global', 40, ALPHABETS.alnum)}`,
        `CLOUDFLARE_API_TOKEN=${fake('cloudflare.api-token:legacy', 40, ALPHABETS.base64url)}`,
      ],
    };
  },
};

export const cloudflare: RuleFamily = { id: 'cloudflare', rules: [apiToken] };
