import { z } from 'zod';
import { bearerCheck, dead, live } from '../bearer-check.js';
import type { ProviderAdapter } from '../types.js';

/** The OpenAI-compatible model list. */
const modelList = z.object({ data: z.array(z.unknown()) });

/** Groq's error body (OpenAI-compatible): `{ error: { message, type, code } }`. */
const groqError = z.object({ error: z.object({ code: z.string() }) });

/** Groq API keys (`gsk_…`): verify only. */
export const groq: ProviderAdapter = {
  provider: 'groq',
  rules: ['groq.api-key'],
  verify: (secret, _ruleId, ctx) =>
    bearerCheck(secret, ctx, {
      url: 'https://api.groq.com/openai/v1/models',
      recognise: (response) => {
        if (response.status === 200 && modelList.safeParse(response.json).success) {
          return live('the key lists models');
        }
        if (
          response.status === 401 &&
          groqError.safeParse(response.json).data?.error.code === 'invalid_api_key'
        ) {
          return dead('invalid_api_key');
        }
        return undefined;
      },
    }),
};
