import type { Secret } from '../../engine/secret.js';
import { adminFailure } from '../admin-failure.js';
import { errorCodeCheck } from '../error-code-check.js';
import { describeResult } from '../http.js';
import type { ProviderAdapter, ProviderContext, RevocationOutcome, Verification } from '../types.js';
import { adminHeaders, findProjectKey, OPENAI_API } from './admin-api.js';
import { errorBody, keyDeleted, modelList } from './schema.js';
import { openaiUsage } from './usage.js';

/**
 * OpenAI: verification by a read-only list call, revocation of project and service-account keys through
 * the Admin API (find by `redacted_value`, then delete), and hourly usage per key. See readme.md.
 */

const RULES = [
  'openai.legacy-key',
  'openai.project-key',
  'openai.service-account-key',
  'openai.admin-key',
] as const;

const ADMIN_KEY_SOURCE = 'KEYWARDEN_OPENAI_ADMIN_KEY (or openai.adminKey in KEYWARDEN_PROVIDER_SECRETS_FILE)';

/** Why a key kind cannot be revoked through the API, with the page where its owner does it. */
const NO_API_REVOCATION: Record<string, string> = {
  'openai.legacy-key':
    'OpenAI user keys (legacy) cannot be revoked through the Admin API: the owner deletes it at https://platform.openai.com/api-keys',
  'openai.admin-key':
    'OpenAI admin keys are not revoked with another admin key by keywarden: an organisation owner deletes it at https://platform.openai.com/settings/organization/admin-keys',
};

/**
 * `GET /v1/models` for API keys; admin keys only open the Admin API, so they are checked with
 * `GET /v1/organization/projects?limit=1`. 200 with a list → live; 401 `invalid_api_key` → dead.
 * A 401/403 for missing scopes means the key exists, so it is not dead: unknown.
 */
async function verify(secret: Secret, ruleId: string, ctx: ProviderContext): Promise<Verification> {
  if (!(RULES as readonly string[]).includes(ruleId))
    return { verdict: 'unknown', detail: `rule ${ruleId} is not OpenAI's` };
  return errorCodeCheck(secret, ctx, {
    url:
      ruleId === 'openai.admin-key'
        ? `${OPENAI_API}/v1/organization/projects?limit=1`
        : `${OPENAI_API}/v1/models`,
    headers: { authorization: `Bearer ${secret.reveal()}` },
    liveBody: modelList,
    errorCode: (json) => {
      const error = errorBody.safeParse(json);
      return error.success ? error.data.error.code : undefined;
    },
    deadCode: 'invalid_api_key',
    deadWhy: 'the key is revoked or never existed',
  });
}

/**
 * Project and service-account keys: list every project's keys with the admin key, match by
 * `redacted_value`, and delete the one match (`DELETE /v1/organization/projects/{project}/api_keys/{key}`).
 * Refused without an admin key, when nothing matches and when more than one key matches.
 */
async function revoke(
  secret: Secret,
  ruleId: string,
  ctx: ProviderContext,
  options: { dryRun: boolean },
): Promise<RevocationOutcome> {
  const manual = NO_API_REVOCATION[ruleId];
  if (manual) return { kind: 'refused', detail: manual };
  if (ruleId !== 'openai.project-key' && ruleId !== 'openai.service-account-key') {
    return { kind: 'refused', detail: `rule ${ruleId} is not an OpenAI project or service-account key` };
  }
  const adminKey = ctx.admin.openai?.adminKey;
  if (!adminKey) {
    return {
      kind: 'refused',
      detail: `no OpenAI admin key is configured: set ${ADMIN_KEY_SOURCE} to revoke OpenAI keys`,
    };
  }
  const match = await findProjectKey(secret, adminKey, ctx);
  switch (match.kind) {
    case 'failed':
      return match.retry
        ? { kind: 'failed', detail: `listing OpenAI project keys: ${match.detail}` }
        : { kind: 'refused', detail: `listing OpenAI project keys: ${match.detail}` };
    case 'none':
      return {
        kind: 'refused',
        detail:
          'no key in the OpenAI organisation of the admin key matches this key: it belongs to another organisation, or was already deleted',
      };
    case 'many':
      return {
        kind: 'refused',
        detail: `${match.count} keys in the OpenAI organisation match this key's visible prefix and suffix: ambiguous, nothing deleted`,
      };
    case 'one':
      break;
  }
  const what = `OpenAI key ${match.keyId} in project ${match.projectId}`;
  if (options.dryRun) return { kind: 'planned', detail: `would delete ${what}`, keyId: match.keyId };
  const result = await ctx.http.request({
    method: 'DELETE',
    url: `${OPENAI_API}/v1/organization/projects/${encodeURIComponent(match.projectId)}/api_keys/${encodeURIComponent(match.keyId)}`,
    headers: adminHeaders(adminKey),
    secrets: [adminKey],
  });
  if (result.ok && result.response.status === 200 && keyDeleted.safeParse(result.response.json).success) {
    return { kind: 'revoked', detail: `deleted ${what}`, keyId: match.keyId };
  }
  if (result.ok && result.response.status === 404) {
    return {
      kind: 'revoked',
      detail: `${what} was already gone (${describeResult(result)})`,
      keyId: match.keyId,
    };
  }
  const failure = adminFailure(result);
  return { kind: failure.retry ? 'failed' : 'refused', detail: `deleting ${what}: ${failure.detail}` };
}

export const openai: ProviderAdapter = {
  provider: 'openai',
  rules: RULES,
  verify,
  revoke,
  async identify(secret, ruleId, ctx) {
    const adminKey = ctx.admin.openai?.adminKey;
    if (!adminKey || (ruleId !== 'openai.project-key' && ruleId !== 'openai.service-account-key'))
      return undefined;
    const match = await findProjectKey(secret, adminKey, ctx);
    return match.kind === 'one' ? { keyId: match.keyId, scope: match.projectId } : undefined;
  },
  usage: openaiUsage,
};
