import { IAMClient } from '@aws-sdk/client-iam';
import type { AdminCredentials } from '../types.js';

/** Default connection and response timeout for IAM calls (ms). */
export const IAM_TIMEOUT_MS = 10_000;

/**
 * An IAM client that uses only the configured admin credentials and region: every setting the SDK would
 * otherwise read from the environment or `~/.aws` (credentials, endpoint URLs, retries, FIPS, dual-stack,
 * app id, auth scheme preference) is given here. One attempt, bounded connect and response times.
 */
export function iamClient(admin: NonNullable<AdminCredentials['aws']>, timeoutMs: number): IAMClient {
  return new IAMClient({
    region: admin.region,
    credentials: {
      accessKeyId: admin.accessKeyId,
      secretAccessKey: admin.secretAccessKey.reveal(),
      ...(admin.sessionToken ? { sessionToken: admin.sessionToken.reveal() } : {}),
    },
    maxAttempts: 1,
    retryMode: 'standard',
    defaultsMode: 'standard',
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    ignoreConfiguredEndpointUrls: true,
    userAgentAppId: 'keywarden',
    authSchemePreference: [],
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
  });
}

/** How an IAM call went wrong, from the error's name and HTTP status only (messages can quote input). */
export interface IamFailure {
  /** `no-answer`: timeout or network; `retryable`: throttling or 5xx; `refusal`: any other answer. */
  kind: 'no-answer' | 'retryable' | 'refusal';
  /** e.g. `IAM GetAccessKeyLastUsed answered 403 (AccessDenied)`. */
  detail: string;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** Classifies an error thrown by `client.send` for `action`, never reading its message. */
export function iamFailure(action: string, error: unknown, rawKeyId: string): IamFailure {
  const { name, $metadata } = (error ?? {}) as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = typeof $metadata?.httpStatusCode === 'number' ? $metadata.httpStatusCode : undefined;
  const safeName =
    typeof name === 'string' && /^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(name) && !name.includes(rawKeyId)
      ? name
      : undefined;
  if (status === undefined) {
    const what = safeName === 'TimeoutError' || safeName === 'AbortError' ? 'no answer in time' : 'no answer';
    return { kind: 'no-answer', detail: `IAM ${action}: ${what}` };
  }
  const detail = `IAM ${action} answered ${status}${safeName ? ` (${safeName})` : ''}`;
  if (status === 429 || status >= 500 || (safeName !== undefined && THROTTLING.has(safeName))) {
    return { kind: 'retryable', detail };
  }
  return { kind: 'refusal', detail };
}
