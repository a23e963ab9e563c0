import type { z } from 'zod';
import type { Secret } from '../engine/secret.js';
import { describeResult, safeCode } from './http.js';
import type { ProviderContext, Verification } from './types.js';

/**
 * Verification by one read-only `GET` for providers whose error bodies name the error (OpenAI's
 * `error.code`, Anthropic's `error.type`): 200 with the expected body → live; 401 with the provider's
 * invalid-key code → dead; anything else → unknown, with the error code in parentheses when it is a short
 * identifier (never any other part of the body, which may echo the key).
 */
export interface ErrorCodeCheck {
  url: string;
  /** The headers that carry the key, and any the provider requires. */
  headers: Record<string, string>;
  /** The body of a 200 that proves the key works. */
  liveBody: z.ZodType;
  /** The error code (or type) of an error body, if the body is one. */
  errorCode(json: unknown): unknown;
  /** The code a 401 carries when the key is revoked or never existed. */
  deadCode: string;
  /** What that 401 means, for the detail. */
  deadWhy: string;
}

export async function errorCodeCheck(
  secret: Secret,
  ctx: ProviderContext,
  check: ErrorCodeCheck,
): Promise<Verification> {
  const result = await ctx.http.request({
    method: 'GET',
    url: check.url,
    headers: check.headers,
    secrets: [secret],
  });
  if (!result.ok) return { verdict: 'unknown', detail: describeResult(result) };
  const { status, json } = result.response;
  if (status === 200) {
    return check.liveBody.safeParse(json).success
      ? { verdict: 'live', detail: `${describeResult(result)}: the key works` }
      : { verdict: 'unknown', detail: `${describeResult(result)} with an unexpected body` };
  }
  const code = safeCode(check.errorCode(json));
  if (status === 401 && code === check.deadCode) {
    return { verdict: 'dead', detail: `${describeResult(result)} ${code}: ${check.deadWhy}` };
  }
  return { verdict: 'unknown', detail: `${describeResult(result)}${code ? ` (${code})` : ''}` };
}
