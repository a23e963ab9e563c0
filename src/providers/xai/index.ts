import { z } from 'zod';
import { bearerCheck, dead, live, type Recognised, undetermined } from '../bearer-check.js';
import type { ProviderResponse } from '../http.js';
import type { ProviderAdapter } from '../types.js';

/** `GET /v1/api-key`: the calling key's status flags (only those are read). */
const apiKeyInfo = z.object({
  api_key_blocked: z.boolean(),
  api_key_disabled: z.boolean(),
  team_blocked: z.boolean().optional(),
});

/** xAI's answer to an incorrect key: HTTP 400 with `error: "Incorrect API key provided: xa***…"`. */
const incorrectKey = z.object({ error: z.string().regex(/^Incorrect API key provided\b/) });

function recognise(response: ProviderResponse): Recognised | undefined {
  if (response.status === 200) {
    const info = apiKeyInfo.safeParse(response.json);
    if (!info.success) return undefined;
    if (info.data.api_key_disabled) return dead('the key is disabled');
    if (info.data.api_key_blocked) return dead('the key is blocked');
    if (info.data.team_blocked) return undetermined('the key is enabled but its team is blocked');
    return live('the key is enabled');
  }
  if (response.status === 400 && incorrectKey.safeParse(response.json).success) {
    return dead('incorrect API key');
  }
  if (response.status === 401) return dead('the key is not accepted');
  return undefined;
}

/** xAI API keys (`xai-…`): verify only. */
export const xai: ProviderAdapter = {
  provider: 'xai',
  rules: ['xai.api-key'],
  verify: (secret, _ruleId, ctx) =>
    bearerCheck(secret, ctx, { url: 'https://api.x.ai/v1/api-key', recognise }),
};
