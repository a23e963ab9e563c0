import { adminFailure } from '../admin-failure.js';
import { describeResult } from '../http.js';
import type { ProviderContext, UsageBucket } from '../types.js';
import { adminHeaders, MAX_PAGES, OPENAI_API } from './admin-api.js';
import { usagePage } from './schema.js';

/**
 * Hourly completions usage per API key since `since`, from the organisation usage API
 * (`GET /v1/organization/usage/completions`, grouped by `api_key_id`, paged with `page=<next_page>`).
 * Results without a key id are skipped. Returns `[]` without an admin key; throws an error naming the
 * request and status (never a body) when the API fails, so the calling job retries.
 */
export async function openaiUsage(since: Date, ctx: ProviderContext): Promise<UsageBucket[]> {
  const adminKey = ctx.admin.openai?.adminKey;
  if (!adminKey) return [];
  const buckets: UsageBucket[] = [];
  let page: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const query = new URLSearchParams({
      start_time: String(Math.floor(since.getTime() / 1000)),
      bucket_width: '1h',
      group_by: 'api_key_id',
      limit: '168',
      ...(page === undefined ? {} : { page }),
    });
    const result = await ctx.http.request({
      method: 'GET',
      url: `${OPENAI_API}/v1/organization/usage/completions?${query}`,
      headers: adminHeaders(adminKey),
      secrets: [adminKey],
    });
    const parsed =
      result.ok && result.response.status === 200 ? usagePage.safeParse(result.response.json) : undefined;
    if (!parsed?.success) throw new Error(`OpenAI usage: ${adminFailure(result).detail}`);
    for (const bucket of parsed.data.data) {
      for (const row of bucket.results) {
        if (!row.api_key_id) continue;
        buckets.push({
          keyId: row.api_key_id,
          hour: new Date(bucket.start_time * 1000),
          requests: row.num_model_requests,
          tokens: row.input_tokens + row.output_tokens,
        });
      }
    }
    if (!parsed.data.has_more) return buckets;
    page = parsed.data.next_page ?? undefined;
    if (!page) throw new Error(`OpenAI usage: ${describeResult(result)}: more pages but no next_page`);
  }
  throw new Error(`OpenAI usage: more than ${MAX_PAGES} pages`);
}
