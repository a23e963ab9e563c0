import type { ProviderAdapter, RevocationOutcome } from '../types.js';
import { cloudPlatformToken } from './access-token.js';
import { deleteKey, lookupKey } from './api-keys.js';
import { verifyGeminiKey } from './gemini.js';

const RULE = 'google.api-key';

export const NO_SERVICE_ACCOUNT =
  'no Google service account configured (KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE): revoke the key in the Cloud console';

/**
 * Google API keys (`AIza…`): verified against the Gemini API; revoked with the API Keys API (look the key
 * up, then delete it) using a service account of the owning project with the API Keys Admin role.
 */
export const google: ProviderAdapter = {
  provider: 'google',
  rules: [RULE],
  verify: async (secret, ruleId, ctx) =>
    ruleId === RULE ? verifyGeminiKey(secret, ctx) : { verdict: 'unknown', detail: `not a ${RULE}` },

  async revoke(secret, ruleId, ctx, { dryRun }): Promise<RevocationOutcome> {
    if (ruleId !== RULE) return { kind: 'refused', detail: `not a ${RULE}` };
    const account = ctx.admin.google?.serviceAccount;
    if (!account) return { kind: 'refused', detail: NO_SERVICE_ACCOUNT };
    const token = await cloudPlatformToken(account, ctx.http);
    if (!token.ok) return { kind: 'failed', detail: token.detail };
    const found = await lookupKey(secret, token.token, ctx.http);
    if (found.kind !== 'found') return found;
    const plan = `Google API key ${found.name} of ${found.parent}`;
    if (dryRun) {
      return { kind: 'planned', keyId: found.name, detail: `would delete ${plan} (restorable for 30 days)` };
    }
    const deleted = await deleteKey(found.name, token.token, ctx.http);
    if (deleted.kind !== 'deleted') return deleted;
    return {
      kind: 'revoked',
      keyId: found.name,
      detail:
        `deleted ${plan}${deleted.operation ? ` (${deleted.operation})` : ''}; ` +
        'Google keeps deleted keys restorable for 30 days, then purges them',
    };
  },

  async identify(secret, ruleId, ctx) {
    const account = ctx.admin.google?.serviceAccount;
    if (ruleId !== RULE || !account) return undefined;
    const token = await cloudPlatformToken(account, ctx.http);
    if (!token.ok) return undefined;
    const found = await lookupKey(secret, token.token, ctx.http);
    return found.kind === 'found' ? { keyId: found.name, scope: found.parent } : undefined;
  },
};
