/**
 * Which GitHub failures are worth retrying. Octokit throws a `RequestError` (`name` `HttpError`) with
 * the HTTP `status` and the response headers; a failed connection also becomes a `RequestError` with
 * status 500 and the network error as `cause`. Probot retries none of these for us once its retry plugin
 * is off, so the job queue does, with backoff.
 */

interface HttpErrorLike {
  status?: unknown;
  message?: unknown;
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  response?: { headers?: Record<string, unknown> };
}

/** Error codes of a connection that failed or timed out (Node and undici). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError', 'ConnectTimeoutError']);

const RATE_LIMIT_MESSAGE = /secondary rate limit|abuse detection|rate limit exceeded/i;

/**
 * True for a failure that may pass on its own: a 5xx, a 429, a 403 that is a rate limit (a `retry-after`
 * header, `x-ratelimit-remaining: 0`, or GitHub's secondary rate limit message), and a network failure
 * or timeout with no HTTP status. False for every other 4xx (the request itself is wrong or not allowed)
 * and for errors that are not about the network at all (a bug does not pass on its own).
 *
 * @example
 * if (isRetryable(error)) throw new RetryableError('compare failed', { cause: error });
 */
export function isRetryable(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as HttpErrorLike;
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (status === undefined) return isNetworkError(e, 0);
  if (status >= 500 || status === 429) return true;
  if (status === 403) return isRateLimited(e);
  return false;
}

/**
 * Seconds GitHub asked us to wait, from `retry-after` or, with no requests left, `x-ratelimit-reset`;
 * `undefined` when the error says nothing about waiting.
 */
export function retryAfterSeconds(error: unknown, now: Date = new Date()): number | undefined {
  const headers = (error as HttpErrorLike | null)?.response?.headers;
  if (!headers) return undefined;
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && headers['retry-after'] !== undefined)
    return retryAfter;
  const reset = Number(headers['x-ratelimit-reset']);
  if (String(headers['x-ratelimit-remaining']) === '0' && Number.isFinite(reset)) {
    return Math.max(0, Math.ceil(reset - now.getTime() / 1000));
  }
  return undefined;
}

function isRateLimited(e: HttpErrorLike): boolean {
  const headers = e.response?.headers ?? {};
  if (headers['retry-after'] !== undefined) return true;
  if (String(headers['x-ratelimit-remaining']) === '0') return true;
  return typeof e.message === 'string' && RATE_LIMIT_MESSAGE.test(e.message);
}

/** A connection failure or timeout, here or anywhere down the `cause` chain. */
function isNetworkError(e: HttpErrorLike, depth: number): boolean {
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && TIMEOUT_NAMES.has(e.name)) return true;
  if (e.name === 'TypeError' && e.message === 'fetch failed') return true;
  if (depth < 5 && e.cause !== null && typeof e.cause === 'object')
    return isNetworkError(e.cause as HttpErrorLike, depth + 1);
  return false;
}

/** The HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
