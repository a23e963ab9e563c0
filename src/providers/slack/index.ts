import type { Secret } from '../../engine/secret.js';
import { describeResult, type ProviderResult, safeCode } from '../http.js';
import type { ProviderAdapter, ProviderContext, RevocationOutcome, Verification } from '../types.js';

/**
 * Slack tokens: verification with `auth.test` and revocation with `auth.revoke`, both authenticated with
 * the token itself. Slack answers HTTP 200 for most errors and says what happened in `{ ok, error }`.
 * See readme.md.
 */

const API = 'https://slack.com/api';

const RULES = ['slack.bot-token', 'slack.user-token'] as const;

/** `error` values that mean the token no longer works (https://api.slack.com/methods/auth.test). */
const DEAD_ERRORS = new Set([
  'invalid_auth',
  'token_revoked',
  'account_inactive',
  'token_expired',
  'not_authed',
]);

/** `error` values Slack documents as temporary: worth retrying a revocation. */
const TEMPORARY_ERRORS = new Set([
  'ratelimited',
  'fatal_error',
  'internal_error',
  'service_unavailable',
  'request_timeout',
]);

interface SlackAnswer {
  ok: boolean;
  error: string | undefined;
  revoked: unknown;
}

/** The `{ ok, error, revoked }` of a Slack answer, or `undefined` when the body is not one. */
function slackAnswer(result: ProviderResult): SlackAnswer | undefined {
  if (!result.ok || result.response.status !== 200) return undefined;
  const body = result.response.json as { ok?: unknown; error?: unknown; revoked?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || typeof body.ok !== 'boolean') return undefined;
  return { ok: body.ok, error: safeCode(body.error), revoked: body.revoked };
}

function call(secret: Secret, method: string, ctx: ProviderContext) {
  return ctx.http.request({
    method: 'POST',
    url: `${API}/${method}`,
    headers: { authorization: `Bearer ${secret.reveal()}` },
    secrets: [secret],
  });
}

/** `auth.test`: `ok: true` → live; a dead-token error → dead; anything else → unknown. */
async function verify(secret: Secret, ruleId: string, ctx: ProviderContext): Promise<Verification> {
  if (!(RULES as readonly string[]).includes(ruleId))
    return { verdict: 'unknown', detail: `rule ${ruleId} is not Slack's` };
  const result = await call(secret, 'auth.test', ctx);
  const answer = slackAnswer(result);
  if (!answer) {
    const odd = result.ok && result.response.status === 200;
    return {
      verdict: 'unknown',
      detail: `${describeResult(result)}${odd ? ' with an unexpected body' : ''}`,
    };
  }
  if (answer.ok) return { verdict: 'live', detail: `${describeResult(result)} ok: the token works` };
  if (answer.error && DEAD_ERRORS.has(answer.error)) {
    return {
      verdict: 'dead',
      detail: `${describeResult(result)} ${answer.error}: the token no longer works`,
    };
  }
  return {
    verdict: 'unknown',
    detail: `${describeResult(result)} not ok${answer.error ? ` (${answer.error})` : ''}`,
  };
}

/**
 * `auth.revoke`: `{ ok: true, revoked: true }` → revoked; a dead-token error → revoked (already
 * invalid); 429 (with `Retry-After`), 5xx, timeouts and Slack's temporary errors → failed.
 */
async function revoke(
  secret: Secret,
  ruleId: string,
  ctx: ProviderContext,
  options: { dryRun: boolean },
): Promise<RevocationOutcome> {
  if (!(RULES as readonly string[]).includes(ruleId))
    return { kind: 'refused', detail: `rule ${ruleId} is not Slack's` };
  if (options.dryRun) return { kind: 'planned', detail: 'would revoke the token with auth.revoke' };
  const result = await call(secret, 'auth.revoke', ctx);
  const answer = slackAnswer(result);
  if (answer?.ok && answer.revoked === true)
    return { kind: 'revoked', detail: `${describeResult(result)}: revoked` };
  if (answer && !answer.ok && answer.error && DEAD_ERRORS.has(answer.error)) {
    return { kind: 'revoked', detail: `${describeResult(result)} ${answer.error}: already invalid` };
  }
  if (answer && !answer.ok && !(answer.error && TEMPORARY_ERRORS.has(answer.error))) {
    return {
      kind: 'refused',
      detail: `${describeResult(result)} not ok${answer.error ? ` (${answer.error})` : ''}`,
    };
  }
  if (answer?.ok) return { kind: 'failed', detail: `${describeResult(result)} ok but not revoked` };
  const retryAfter = result.ok ? Number(result.response.headers.get('retry-after')) : Number.NaN;
  const wait = Number.isInteger(retryAfter) && retryAfter > 0 ? `, retry after ${retryAfter} s` : '';
  const reason = answer?.error ? ` (${answer.error})` : '';
  return { kind: 'failed', detail: `${describeResult(result)}${reason}${wait}` };
}

export const slack: ProviderAdapter = { provider: 'slack', rules: RULES, verify, revoke };
