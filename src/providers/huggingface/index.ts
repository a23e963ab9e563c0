import { z } from 'zod';
import { bearerCheck, dead, live } from '../bearer-check.js';
import type { ProviderAdapter } from '../types.js';

/** What `whoami-v2` answers for a working token: the user, organisation or app it belongs to. */
const whoami = z.object({ type: z.string(), name: z.string() });

/** Hugging Face Hub tokens (`hf_…` user tokens, deprecated `api_org_…` organisation tokens): verify only. */
export const huggingface: ProviderAdapter = {
  provider: 'huggingface',
  rules: ['huggingface.user-token', 'huggingface.org-token'],
  verify: (secret, _ruleId, ctx) =>
    bearerCheck(secret, ctx, {
      url: 'https://huggingface.co/api/whoami-v2',
      recognise: (response) => {
        if (response.status === 200 && whoami.safeParse(response.json).success) {
          return live('the Hub knows whose token it is');
        }
        if (response.status === 401) return dead('the Hub does not accept the token');
        return undefined;
      },
    }),
};
