import { z } from 'zod';
import { bearerCheck, dead, live } from '../bearer-check.js';
import type { ProviderAdapter } from '../types.js';

/** NGC's key introspection: who a key belongs to, without using any service. */
export const NGC_CALLER_INFO = 'https://api.ngc.nvidia.com/v3/keys/get-caller-info';

/** The part of NGC's caller-info answer that shows the key was recognised. */
const callerInfo = z.object({}).passthrough();

/**
 * NVIDIA API keys (`nvapi-…`): verified with NGC's caller-info endpoint (`POST` with the key as the
 * `credentials` form field), the read-only check the NGC CLI makes: 200 with a JSON body → live, 401 →
 * dead; anything else unknown. The model list at integrate.api.nvidia.com is public and proves nothing.
 * No revocation API: the owner deletes the key at NGC's key page.
 */
export const nvidia: ProviderAdapter = {
  provider: 'nvidia',
  rules: ['nvidia.api-key'],
  verify: (secret, _ruleId, ctx) =>
    bearerCheck(secret, ctx, {
      method: 'POST',
      url: NGC_CALLER_INFO,
      form: (key) => ({ credentials: key }),
      recognise: (response) =>
        response.status === 200 && callerInfo.safeParse(response.json).success
          ? live('NGC knows the key')
          : response.status === 401
            ? dead('NGC does not accept the key')
            : undefined,
    }),
};
