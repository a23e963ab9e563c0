import { z } from 'zod';
import { bearerCheck, dead, live } from '../bearer-check.js';
import type { ProviderAdapter } from '../types.js';

/** The account a working token belongs to. */
const account = z.object({ type: z.string(), username: z.string() });

/** Replicate API tokens (`r8_…`): verify only. */
export const replicate: ProviderAdapter = {
  provider: 'replicate',
  rules: ['replicate.api-token'],
  verify: (secret, _ruleId, ctx) =>
    bearerCheck(secret, ctx, {
      url: 'https://api.replicate.com/v1/account',
      recognise: (response) => {
        if (response.status === 200 && account.safeParse(response.json).success) {
          return live('the token names its account');
        }
        if (response.status === 401) return dead('the token is not accepted');
        return undefined;
      },
    }),
};
