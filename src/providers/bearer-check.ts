import type { Secret } from '../engine/secret.js';
import { describeResult, type ProviderResponse } from './http.js';
import type { ProviderContext, Verdict, Verification } from './types.js';

/**
 * Verification by one read-only request that needs the key, for providers whose check is "call an
 * endpoint, read the status": most of them send the key as a bearer token.
 *
 * @example
 * ```ts
 * verify: (secret, _ruleId, ctx) =>
 *   bearerCheck(secret, ctx, {
 *     url: 'https://api.replicate.com/v1/account',
 *     recognise: (response) =>
 *       response.status === 200 && account.safeParse(response.json).success
 *         ? live('the account answered')
 *         : response.status === 401 ? dead('the token is not accepted') : undefined,
 *   }),
 * ```
 */

/**
 * An answer the check understood: `live` or `dead` (only for answers the provider documents as meaning
 * that), or `unknown` with a more precise reason than the default one. A few fixed words on why.
 */
export interface Recognised {
  verdict: Verdict;
  why: string;
}

export interface BearerCheck {
  /** A read-only endpoint that needs the key; never put the key in the URL. */
  url: string;
  /** `GET` (the default), or `POST` for an endpoint that takes the key in a form body. */
  method?: 'GET' | 'POST';
  /** The headers that carry the key (default: `Authorization: Bearer <key>`, unless `form` carries it). */
  auth?: (key: string) => Record<string, string>;
  /** A form body that carries the key (sent with `POST`). */
  form?: (key: string) => Record<string, string>;
  /** Other headers (an API version). */
  headers?: Record<string, string>;
  /**
   * The provider's documented answers: `live` or `dead` (or `unknown` with a reason), or `undefined` for
   * anything else, which then is `unknown`. Never build `why` from the body: pick a field and pass it through {@link safeToken}.
   */
  recognise(response: ProviderResponse): Recognised | undefined;
}

/** A documented `live` answer. */
export function live(why: string): Recognised {
  return { verdict: 'live', why };
}

/** A documented `dead` answer. */
export function dead(why: string): Recognised {
  return { verdict: 'dead', why };
}

/** An answer understood well enough to say why it proves nothing. */
export function undetermined(why: string): Recognised {
  return { verdict: 'unknown', why };
}

/** Sends the one request and maps the answer: recognised → `live`/`dead`, anything else → `unknown`. */
export async function bearerCheck(
  secret: Secret,
  ctx: ProviderContext,
  check: BearerCheck,
): Promise<Verification> {
  const auth =
    check.auth ?? (check.form ? () => ({}) : (key: string) => ({ authorization: `Bearer ${key}` }));
  const result = await ctx.http.request({
    method: check.method ?? 'GET',
    url: check.url,
    headers: { ...check.headers, ...auth(secret.reveal()) },
    ...(check.form ? { form: check.form(secret.reveal()) } : {}),
    secrets: [secret],
  });
  if (!result.ok) return { verdict: 'unknown', detail: describeResult(result) };
  const recognised = check.recognise(result.response);
  if (recognised) {
    return { verdict: recognised.verdict, detail: `${describeResult(result)}: ${recognised.why}` };
  }
  return { verdict: 'unknown', detail: `${describeResult(result)}: ${unrecognised(result.response.status)}` };
}

/** Why an answer proves nothing, by status class. */
export function unrecognised(status: number): string {
  if (status === 429) return 'rate limited, proves nothing';
  if (status >= 500) return 'provider error, proves nothing';
  if (status >= 200 && status < 300) return 'unexpected body, proves nothing';
  return 'not an answer that proves the key live or dead';
}

/**
 * `value` when it is a short identifier (`invalid_api_key`, `API_KEY_INVALID`, at most 40 characters), else
 * `undefined`: the only way a provider's words get into a `detail`, since bodies can echo the key.
 */
export function safeToken(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_.:-]{0,39}$/.test(value) ? value : undefined;
}
