import type { Secret } from '../../engine/secret.js';
import { describeResult, type ProviderResult } from '../http.js';
import type { ProviderAdapter, ProviderContext, RevocationOutcome, Verification } from '../types.js';

/**
 * GitHub tokens: verification with `GET /rate_limit` (works for every token type, costs no quota) and
 * revocation with GitHub's credential revocation API, sent unauthenticated as GitHub requires. App
 * installation tokens, which that API does not take, revoke themselves with `DELETE /installation/token`.
 * See readme.md.
 */

const API = 'https://api.github.com';

const RULES = [
  'github.personal-access-token',
  'github.fine-grained-token',
  'github.oauth-token',
  'github.user-to-server-token',
  'github.refresh-token',
  'github.installation-token',
] as const;

const HEADERS = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'keywarden',
};

/** 200 → live, 401 → dead; refresh tokens cannot call the API, so they are not sent. */
async function verify(secret: Secret, ruleId: string, ctx: ProviderContext): Promise<Verification> {
  if (ruleId === 'github.refresh-token') {
    return {
      verdict: 'unknown',
      detail: 'GitHub refresh tokens cannot call the API, so there is no read-only check: not sent',
    };
  }
  if (!(RULES as readonly string[]).includes(ruleId))
    return { verdict: 'unknown', detail: `rule ${ruleId} is not GitHub's` };
  const result = await ctx.http.request({
    method: 'GET',
    url: `${API}/rate_limit`,
    headers: { ...HEADERS, authorization: `Bearer ${secret.reveal()}` },
    secrets: [secret],
  });
  if (!result.ok) return { verdict: 'unknown', detail: describeResult(result) };
  const { status, json } = result.response;
  if (status === 200) {
    const resources = (json as { resources?: unknown } | undefined)?.resources;
    return typeof resources === 'object' && resources !== null
      ? { verdict: 'live', detail: `${describeResult(result)}: the token works` }
      : { verdict: 'unknown', detail: `${describeResult(result)} with an unexpected body` };
  }
  if (status === 401)
    return {
      verdict: 'dead',
      detail: `${describeResult(result)}: bad credentials, the token is revoked or expired`,
    };
  return { verdict: 'unknown', detail: describeResult(result) };
}

/** A 403 that is GitHub's rate limit (no requests left) rather than a refusal. */
function rateLimited(result: ProviderResult): boolean {
  return (
    result.ok &&
    result.response.status === 403 &&
    result.response.headers.get('x-ratelimit-remaining') === '0'
  );
}

function failure(result: ProviderResult, what: string): RevocationOutcome {
  const retry =
    !result.ok || result.response.status === 429 || result.response.status >= 500 || rateLimited(result);
  return { kind: retry ? 'failed' : 'refused', detail: `${what}: ${describeResult(result)}` };
}

/**
 * Personal, fine-grained, OAuth, user-to-server and refresh tokens: `POST /credentials/revoke` with the
 * token in the body and no authentication (an authenticated call gets 403). 202 → revoked; 422 → refused.
 * Installation tokens: `DELETE /installation/token` authenticated with the token itself; 204 → revoked,
 * 401 → it was already invalid.
 */
async function revoke(
  secret: Secret,
  ruleId: string,
  ctx: ProviderContext,
  options: { dryRun: boolean },
): Promise<RevocationOutcome> {
  if (!(RULES as readonly string[]).includes(ruleId))
    return { kind: 'refused', detail: `rule ${ruleId} is not GitHub's` };
  if (ruleId === 'github.installation-token') {
    if (options.dryRun) {
      return {
        kind: 'planned',
        detail: 'would revoke the installation token with DELETE /installation/token',
      };
    }
    const result = await ctx.http.request({
      method: 'DELETE',
      url: `${API}/installation/token`,
      headers: { ...HEADERS, authorization: `Bearer ${secret.reveal()}` },
      secrets: [secret],
    });
    if (result.ok && result.response.status === 204) {
      return { kind: 'revoked', detail: `${describeResult(result)}: the installation token is revoked` };
    }
    if (result.ok && result.response.status === 401) {
      return {
        kind: 'revoked',
        detail: `${describeResult(result)}: the token was already invalid (expired or revoked)`,
      };
    }
    return failure(result, 'revoking the installation token');
  }
  if (options.dryRun) {
    return {
      kind: 'planned',
      detail: 'would ask GitHub to revoke the token (POST /credentials/revoke); GitHub notifies its owner',
    };
  }
  const result = await ctx.http.request({
    method: 'POST',
    url: `${API}/credentials/revoke`,
    headers: HEADERS,
    json: { credentials: [secret.reveal()] },
    secrets: [secret],
  });
  if (result.ok && result.response.status === 202) {
    return {
      kind: 'revoked',
      detail: `${describeResult(result)}: GitHub accepted the revocation and notifies the owner`,
    };
  }
  if (result.ok && result.response.status === 422) {
    return {
      kind: 'refused',
      detail: `${describeResult(result)}: GitHub did not accept the token for revocation`,
    };
  }
  return failure(result, 'asking GitHub to revoke the token');
}

export const github: ProviderAdapter = { provider: 'github', rules: RULES, verify, revoke };
