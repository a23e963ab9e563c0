import { z } from 'zod';
import { bearerCheck, dead, live, undetermined } from '../bearer-check.js';
import type { ProviderAdapter } from '../types.js';

/** The control-plane API version sent with every request (Pinecone requires one). */
export const PINECONE_API_VERSION = '2025-04';

/** `GET /indexes`: the project's indexes. */
const indexList = z.object({ indexes: z.array(z.unknown()) });

/** Pinecone API keys (`pcsk_…`) and legacy UUID keys: verify only. */
export const pinecone: ProviderAdapter = {
  provider: 'pinecone',
  rules: ['pinecone.api-key', 'pinecone.legacy-api-key'],
  verify: (secret, ruleId, ctx) =>
    bearerCheck(secret, ctx, {
      url: 'https://api.pinecone.io/indexes',
      auth: (key) => ({ 'api-key': key }),
      headers: { 'x-pinecone-api-version': PINECONE_API_VERSION },
      recognise: (response) => {
        if (response.status === 200 && indexList.safeParse(response.json).success) {
          return live("the key lists its project's indexes");
        }
        if (response.status !== 401) return undefined;
        // Legacy keys predate the global control plane and Pinecone's docs do not say they all work there.
        return ruleId === 'pinecone.legacy-api-key'
          ? undetermined('a legacy key refused by the global control plane, proves nothing')
          : dead('the key is not accepted');
      },
    }),
};
