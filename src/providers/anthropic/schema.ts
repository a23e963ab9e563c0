import { z } from 'zod';

/**
 * The parts of Anthropic's answers the adapter reads (https://docs.anthropic.com/en/api). Lenient:
 * unknown fields are ignored, and a list item that does not parse is skipped.
 */

/** `{ type: 'error', error: { type, message } }`: only `error.type` is read. */
export const errorBody = z.object({ type: z.literal('error'), error: z.object({ type: z.unknown() }) });

/** `GET /v1/models`: `{ data: [...], has_more, first_id, last_id }`. */
export const modelList = z.object({ data: z.array(z.unknown()), has_more: z.boolean() });

/** `GET /v1/organizations/me`. */
export const organization = z.object({ type: z.literal('organization'), id: z.string() });

const apiKey = z.object({
  id: z.string().min(1),
  partial_key_hint: z.string().nullish(),
  status: z.string(),
  workspace_id: z.string().nullish(),
});
export type AnthropicApiKey = z.infer<typeof apiKey>;

/** `GET /v1/organizations/api_keys`, paged with `after_id=<last_id>` while `has_more`. */
export const apiKeyPage = z.object({
  data: z.array(z.unknown()).transform((items) =>
    items.flatMap((entry) => {
      const parsed = apiKey.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    }),
  ),
  has_more: z.boolean(),
  last_id: z.string().nullish(),
});

/** `POST /v1/organizations/api_keys/{api_key_id}`: the updated key. */
export const updatedKey = z.object({ id: z.string(), status: z.string() });

const tokens = z.number().nonnegative().default(0);

const usageResult = z.object({
  api_key_id: z.string().nullish(),
  uncached_input_tokens: tokens,
  cache_read_input_tokens: tokens,
  cache_creation: z
    .object({ ephemeral_5m_input_tokens: tokens, ephemeral_1h_input_tokens: tokens })
    .nullish(),
  output_tokens: tokens,
});

/** `GET /v1/organizations/usage_report/messages`: time buckets of results, paged with `page=<next_page>`. */
export const usagePage = z.object({
  data: z.array(z.object({ starting_at: z.string(), results: z.array(usageResult) })),
  has_more: z.boolean(),
  next_page: z.string().nullish(),
});
