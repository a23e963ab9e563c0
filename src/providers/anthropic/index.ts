import type { Secret } from '../../engine/secret.js';
import { adminFailure } from '../admin-failure.js';
import { errorCodeCheck } from '../error-code-check.js';
import { safeCode } from '../http.js';
import type { ProviderAdapter, ProviderContext, RevocationOutcome, Verification } from '../types.js';
import { ANTHROPIC_API, anthropicHeaders, findApiKey } from './admin-api.js';
import { errorBody, modelList, organization, updatedKey } from './schema.js';
import { anthropicUsage } from './usage.js';

/**
 * Anthropic: verification by a read-only call, revocation of API keys through the Admin API (find by
 * `partial_key_hint`, then set `status` to `inactive`), and hourly usage per key. See readme.md.
 */

const RULES = [
  'anthropic.api-key',
  'anthropic.admin-key',
  'anthropic.oauth-access-token',
  'anthropic.oauth-refresh-token',
] as const;

const ADMIN_KEY_SOURCE =
  'KEYWARDEN_ANTHROPIC_ADMIN_KEY (or anthropic.adminKey in KEYWARDEN_PROVIDER_SECRETS_FILE)';

/** Statuses of a key that can no longer be used (`GET /v1/organizations/api_keys` `status`). */
const ENDED = new Set(['inactive', 'archived', 'expired']);

const NO_API_REVOCATION: Record<string, string> = {
  'anthropic.admin-key':
    'Anthropic admin keys cannot be revoked through the Admin API: an organisation admin deletes it at https://console.anthropic.com/settings/admin-keys',
  'anthropic.oauth-access-token':
    'Anthropic OAuth tokens have no revocation API: the account owner signs out the session at https://claude.ai/settings/account',
  'anthropic.oauth-refresh-token':
    'Anthropic OAuth tokens have no revocation API: the account owner signs out the session at https://claude.ai/settings/account',
};

/**
 * API keys: `GET /v1/models`; admin keys only open the Admin API, so `GET /v1/organizations/me`.
 * 200 with the documented body → live; 401 `authentication_error` → dead. OAuth tokens (Claude
 * subscriptions) have no documented check, so they are not sent anywhere: unknown.
 */
async function verify(secret: Secret, ruleId: string, ctx: ProviderContext): Promise<Verification> {
  if (ruleId === 'anthropic.oauth-access-token' || ruleId === 'anthropic.oauth-refresh-token') {
    return { verdict: 'unknown', detail: 'Anthropic documents no check for OAuth tokens: not sent anywhere' };
  }
  if (ruleId !== 'anthropic.api-key' && ruleId !== 'anthropic.admin-key') {
    return { verdict: 'unknown', detail: `rule ${ruleId} is not Anthropic's` };
  }
  const admin = ruleId === 'anthropic.admin-key';
  return errorCodeCheck(secret, ctx, {
    url: `${ANTHROPIC_API}${admin ? '/v1/organizations/me' : '/v1/models'}`,
    headers: anthropicHeaders(secret),
    liveBody: admin ? organization : modelList,
    errorCode: (json) => {
      const error = errorBody.safeParse(json);
      return error.success ? error.data.error.type : undefined;
    },
    deadCode: 'authentication_error',
    deadWhy: 'the key is disabled or never existed',
  });
}

/**
 * API keys: list the organisation's keys with the admin key, match `partial_key_hint`, and set the one
 * match to `inactive` (`POST /v1/organizations/api_keys/{id}`). A key already inactive, archived or
 * expired is reported revoked without a change. Refused without an admin key, when nothing matches and
 * when more than one key matches.
 */
async function revoke(
  secret: Secret,
  ruleId: string,
  ctx: ProviderContext,
  options: { dryRun: boolean },
): Promise<RevocationOutcome> {
  const manual = NO_API_REVOCATION[ruleId];
  if (manual) return { kind: 'refused', detail: manual };
  if (ruleId !== 'anthropic.api-key')
    return { kind: 'refused', detail: `rule ${ruleId} is not an Anthropic API key` };
  const adminKey = ctx.admin.anthropic?.adminKey;
  if (!adminKey) {
    return {
      kind: 'refused',
      detail: `no Anthropic admin key is configured: set ${ADMIN_KEY_SOURCE} to revoke Anthropic keys`,
    };
  }
  const match = await findApiKey(secret, adminKey, ctx);
  switch (match.kind) {
    case 'failed':
      return {
        kind: match.retry ? 'failed' : 'refused',
        detail: `listing Anthropic API keys: ${match.detail}`,
      };
    case 'none':
      return {
        kind: 'refused',
        detail:
          'no key in the Anthropic organisation of the admin key matches this key: it belongs to another organisation, or was already deleted',
      };
    case 'many':
      return {
        kind: 'refused',
        detail: `${match.count} keys in the Anthropic organisation match this key's visible prefix and suffix: ambiguous, nothing changed`,
      };
    case 'one':
      break;
  }
  const { key } = match;
  const what = `Anthropic key ${key.id}${key.workspace_id ? ` in workspace ${key.workspace_id}` : ''}`;
  const status = safeCode(key.status);
  if (status && ENDED.has(status)) {
    return { kind: 'revoked', detail: `${what} was already ${status}: nothing to change`, keyId: key.id };
  }
  if (status !== 'active') {
    return {
      kind: 'refused',
      detail: `${what} has an unexpected status${status ? ` (${status})` : ''}: nothing changed`,
    };
  }
  if (options.dryRun) return { kind: 'planned', detail: `would set ${what} to inactive`, keyId: key.id };
  const result = await ctx.http.request({
    method: 'POST',
    url: `${ANTHROPIC_API}/v1/organizations/api_keys/${encodeURIComponent(key.id)}`,
    headers: anthropicHeaders(adminKey),
    json: { status: 'inactive' },
    secrets: [adminKey],
  });
  if (result.ok && result.response.status === 200) {
    const updated = updatedKey.safeParse(result.response.json);
    if (updated.success && updated.data.status === 'inactive') {
      return { kind: 'revoked', detail: `set ${what} to inactive`, keyId: key.id };
    }
  }
  const failure = adminFailure(result);
  return { kind: failure.retry ? 'failed' : 'refused', detail: `deactivating ${what}: ${failure.detail}` };
}

export const anthropic: ProviderAdapter = {
  provider: 'anthropic',
  rules: RULES,
  verify,
  revoke,
  async identify(secret, ruleId, ctx) {
    const adminKey = ctx.admin.anthropic?.adminKey;
    if (!adminKey || ruleId !== 'anthropic.api-key') return undefined;
    const match = await findApiKey(secret, adminKey, ctx);
    if (match.kind !== 'one') return undefined;
    return { keyId: match.key.id, ...(match.key.workspace_id ? { scope: match.key.workspace_id } : {}) };
  },
  usage: anthropicUsage,
};
