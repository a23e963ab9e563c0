import type { Secret } from '../../engine/secret.js';
import { type AdminFailure, adminFailure } from '../admin-failure.js';
import { describeResult } from '../http.js';
import { matchesKeyHint } from '../key-hint.js';
import type { ProviderContext } from '../types.js';
import { type AnthropicApiKey, apiKeyPage } from './schema.js';

/**
 * Anthropic's Admin API (https://docs.anthropic.com/en/api/administration-api), called with the
 * organisation's admin key from the server's configuration. The leaked key is never sent here: it is
 * compared locally with each listed key's `partial_key_hint`.
 */

export const ANTHROPIC_API = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';

/** Stops paging past this many pages (10,000 keys at 100 a page). */
export const MAX_PAGES = 100;

export type KeyMatch =
  | { kind: 'one'; key: AnthropicApiKey }
  | { kind: 'none' }
  | { kind: 'many'; count: number }
  | ({ kind: 'failed' } & AdminFailure);

/** Headers of a call made with `key` (`x-api-key`, `anthropic-version`). */
export function anthropicHeaders(key: Secret): Record<string, string> {
  return { 'x-api-key': key.reveal(), 'anthropic-version': ANTHROPIC_VERSION };
}

/** Every API key of the organisation whose `partial_key_hint` fits `secret`, listing all pages first. */
export async function findApiKey(secret: Secret, adminKey: Secret, ctx: ProviderContext): Promise<KeyMatch> {
  const matches: AnthropicApiKey[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: '100', ...(after === undefined ? {} : { after_id: after }) });
    const result = await ctx.http.request({
      method: 'GET',
      url: `${ANTHROPIC_API}/v1/organizations/api_keys?${query}`,
      headers: anthropicHeaders(adminKey),
      secrets: [adminKey],
    });
    const parsed =
      result.ok && result.response.status === 200 ? apiKeyPage.safeParse(result.response.json) : undefined;
    if (!parsed?.success) return { kind: 'failed', ...adminFailure(result) };
    for (const key of parsed.data.data) {
      if (key.partial_key_hint && matchesKeyHint(key.partial_key_hint, secret)) matches.push(key);
    }
    if (!parsed.data.has_more) {
      const [only] = matches;
      if (matches.length === 1 && only) return { kind: 'one', key: only };
      return matches.length === 0 ? { kind: 'none' } : { kind: 'many', count: matches.length };
    }
    after = parsed.data.last_id ?? parsed.data.data.at(-1)?.id;
    if (!after)
      return { kind: 'failed', retry: true, detail: `${describeResult(result)}: more pages but no cursor` };
  }
  return {
    kind: 'failed',
    retry: false,
    detail: `GET api.anthropic.com/v1/organizations/api_keys: more than ${MAX_PAGES} pages`,
  };
}
