/**
 * A job failure worth retrying: a GitHub 5xx, a timeout, a secondary rate limit. A job handler throws it
 * (usually wrapping the original error as `cause`); the queue lets pg-boss retry the job with backoff,
 * and records a dead letter once the retries run out. Any other error is a dead letter at once.
 *
 * @example
 * if (isRetryable(error)) throw new RetryableError('GitHub compare failed', { cause: error });
 */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The message of anything thrown, for logs and dead letters (never the payload). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : 'non-error thrown';
}
