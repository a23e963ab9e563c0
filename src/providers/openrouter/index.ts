import { z } from 'zod';
import { bearerCheck, dead, live } from '../bearer-check.js';
import type { ProviderAdapter } from '../types.js';

/** `GET /api/v1/key`: the calling key's details under `data`. */
const currentKey = z.object({ data: z.object({}) });

/** OpenRouter API keys (`sk-or-v1-…`): verify only. */
export const openrouter: ProviderAdapter = {
  provider: 'openrouter',
  rules: ['openrouter.api-key'],
  verify: (secret, _ruleId, ctx) =>
    bearerCheck(secret, ctx, {
      url: 'https://openrouter.ai/api/v1/key',
      recognise: (response) => {
        if (response.status === 200 && currentKey.safeParse(response.json).success) {
          return live('the key describes itself');
        }
        if (response.status === 401) return dead('the key is not accepted');
        return undefined;
      },
    }),
};
