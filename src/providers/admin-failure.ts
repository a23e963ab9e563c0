import { describeResult, type ProviderResult } from './http.js';

/** Why a call to a provider's admin API did not give the expected answer, and whether a retry may help. */
export interface AdminFailure {
  retry: boolean;
  detail: string;
}

/**
 * Classifies an admin answer that is not the expected success: timeouts, network errors, redirects, 429
 * and 5xx (Anthropic's 529 "overloaded" too) are worth retrying; a refused admin key (401/403) and other
 * 4xx are not; a 2xx with a body that does not parse is retried (a provider hiccup, not a refusal).
 */
export function adminFailure(result: ProviderResult): AdminFailure {
  if (!result.ok) return { retry: true, detail: describeResult(result) };
  const { status } = result.response;
  if (status === 429 || status >= 500) return { retry: true, detail: describeResult(result) };
  if (status === 401 || status === 403) {
    return { retry: false, detail: `${describeResult(result)}: the admin key was not accepted` };
  }
  if (status >= 200 && status < 300)
    return { retry: true, detail: `${describeResult(result)} with an unexpected body` };
  return { retry: false, detail: describeResult(result) };
}
