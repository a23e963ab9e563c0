import { z } from 'zod';

/**
 * The parts of OpenAI's answers the adapter reads (https://platform.openai.com/docs/api-reference).
 * Lenient: unknown fields are ignored, and a list item that does not parse is skipped rather than
 * failing the page.
 */

/** `{ error: { message, type, param, code } }`: only `code` and `type` are read. */
export const errorBody = z.object({
  error: z.object({ code: z.unknown().optional(), type: z.unknown().optional() }),
});

/** `GET /v1/models` and other list answers: `{ object: 'list', data: [...] }`. */
export const modelList = z.object({ object: z.literal('list'), data: z.array(z.unknown()) });

const listPage = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(z.unknown()).transform((items) =>
      items.flatMap((entry) => {
        const parsed = item.safeParse(entry);
        return parsed.success ? [parsed.data as z.infer<T>] : [];
      }),
    ),
    has_more: z.boolean(),
    last_id: z.string().nullish(),
  });

/** `GET /v1/organization/projects`. */
export const projectPage = listPage(z.object({ id: z.string().min(1) }));
export type ProjectPage = z.infer<typeof projectPage>;

/** `GET /v1/organization/projects/{project_id}/api_keys`. */
export const projectKeyPage = listPage(z.object({ id: z.string().min(1), redacted_value: z.string() }));
export type ProjectKeyPage = z.infer<typeof projectKeyPage>;

/** `DELETE /v1/organization/projects/{project_id}/api_keys/{key_id}`. */
export const keyDeleted = z.object({ deleted: z.literal(true) });

const usageResult = z.object({
  api_key_id: z.string().nullish(),
  num_model_requests: z.number().nonnegative().default(0),
  input_tokens: z.number().nonnegative().default(0),
  output_tokens: z.number().nonnegative().default(0),
});

/** `GET /v1/organization/usage/completions`: buckets of results, paged with `next_page`. */
export const usagePage = z.object({
  data: z.array(z.object({ start_time: z.number(), results: z.array(usageResult) })),
  has_more: z.boolean(),
  next_page: z.string().nullish(),
});
