import { adminFailure } from '../admin-failure.js';
import { describeResult } from '../http.js';
import type { ProviderContext, UsageBucket } from '../types.js';
import { ANTHROPIC_API, anthropicHeaders, MAX_PAGES } from './admin-api.js';
import { usagePage } from './schema.js';

/**
 * Hourly Messages API usage per API key since `since`, from the usage report
 * (`GET /v1/organizations/usage_report/messages`, grouped by `api_key_id`, paged with `page=<next_page>`).
 * Tokens are uncached input + cache reads + cache writes (5 min and 1 h) + output; the report has no
 * request counts, so `requests` is 0. Results without a key id (Workbench, Claude Code sessions) are
 * skipped. Returns `[]` without an admin key; throws an error naming the request and status when the
 * API fails.
 */
export async function anthropicUsage(since: Date, ctx: ProviderContext): Promise<UsageBucket[]> {
  const adminKey = ctx.admin.anthropic?.adminKey;
  if (!adminKey) return [];
  const buckets: UsageBucket[] = [];
  let page: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const query = new URLSearchParams({
      starting_at: since.toISOString(),
      bucket_width: '1h',
      'group_by[]': 'api_key_id',
      limit: '168',
      ...(page === undefined ? {} : { page }),
    });
    const result = await ctx.http.request({
      method: 'GET',
      url: `${ANTHROPIC_API}/v1/organizations/usage_report/messages?${query}`,
      headers: anthropicHeaders(adminKey),
      secrets: [adminKey],
    });
    const parsed =
      result.ok && result.response.status === 200 ? usagePage.safeParse(result.response.json) : undefined;
    if (!parsed?.success) throw new Error(`Anthropic usage: ${adminFailure(result).detail}`);
    for (const bucket of parsed.data.data) {
      const hour = new Date(bucket.starting_at);
      if (Number.isNaN(hour.getTime()))
        throw new Error(`Anthropic usage: ${describeResult(result)} with an unexpected body`);
      for (const row of bucket.results) {
        if (!row.api_key_id) continue;
        const cacheWrites =
          (row.cache_creation?.ephemeral_5m_input_tokens ?? 0) +
          (row.cache_creation?.ephemeral_1h_input_tokens ?? 0);
        buckets.push({
          keyId: row.api_key_id,
          hour,
          requests: 0,
          tokens: row.uncached_input_tokens + row.cache_read_input_tokens + cacheWrites + row.output_tokens,
        });
      }
    }
    if (!parsed.data.has_more) return buckets;
    page = parsed.data.next_page ?? undefined;
    if (!page) throw new Error(`Anthropic usage: ${describeResult(result)}: more pages but no next_page`);
  }
  throw new Error(`Anthropic usage: more than ${MAX_PAGES} pages`);
}
