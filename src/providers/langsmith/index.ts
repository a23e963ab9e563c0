import { z } from 'zod';
import { bearerCheck, dead, live } from '../bearer-check.js';
import type { ProviderAdapter } from '../types.js';

/** LangSmith Cloud's API, one per region; a key works only in the region that issued it. */
export const LANGSMITH_ORIGINS = [
  'https://api.smith.langchain.com',
  'https://eu.api.smith.langchain.com',
] as const;

/** `GET /api/v1/workspaces`: the workspaces the key can see. */
const workspaces = z.array(z.object({ id: z.string() }));

/** LangSmith API keys (`lsv2_pt_…`, `lsv2_sk_…`): verify only. */
export const langsmith: ProviderAdapter = {
  provider: 'langsmith',
  rules: ['langsmith.api-key'],
  async verify(secret, _ruleId, ctx) {
    const refusals: string[] = [];
    for (const origin of LANGSMITH_ORIGINS) {
      const result = await bearerCheck(secret, ctx, {
        url: `${origin}/api/v1/workspaces`,
        auth: (key) => ({ 'x-api-key': key }),
        recognise: (response) => {
          if (response.status === 200 && workspaces.safeParse(response.json).success) {
            return live('the key lists its workspaces');
          }
          if (response.status === 401) return dead('the key is not accepted');
          return undefined;
        },
      });
      // Dead only when every region refuses it: a 401 from one region says nothing of the other.
      if (result.verdict === 'dead') {
        refusals.push(result.detail);
        continue;
      }
      return result.verdict === 'unknown'
        ? { ...result, detail: [...refusals, result.detail].join('; ') }
        : result;
    }
    return { verdict: 'dead', detail: refusals.join('; ') };
  },
};
