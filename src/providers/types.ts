import type { Secret } from '../engine/secret.js';
import type { ProviderHttp } from './http.js';

/**
 * What a provider adapter can do with a leaked key. Adapters live one folder per provider
 * (`src/providers/<provider>/index.ts`) and are listed in `src/providers/registry.ts`, like the rules.
 *
 * The raw value reaches an adapter only as a {@link Secret}; an adapter calls `secret.reveal()` only to
 * put the value in the one request that needs it (the provider's own verification or revocation call).
 * Nothing an adapter returns may hold the value: `detail` strings are built from fixed text, status codes
 * and provider ids.
 */

/** What verification learned: `unknown` for anything not explicitly recognised. */
export type Verdict = 'live' | 'dead' | 'unknown';

export interface Verification {
  verdict: Verdict;
  /** One line for a human, without the secret: what was asked and what the provider answered. */
  detail: string;
}

/** The outcome of a revocation attempt. */
export type RevocationOutcome =
  /** The provider accepted the revocation. */
  | { kind: 'revoked'; detail: string; keyId?: string }
  /** Dry run: what would have been revoked; nothing was changed. */
  | { kind: 'planned'; detail: string; keyId?: string }
  /**
   * Refused before changing anything: no admin credential configured, no matching key, an ambiguous
   * match, a key of another account. Not retried; the owner revokes by hand (`manual` page).
   */
  | { kind: 'refused'; detail: string }
  /** The attempt failed in a way worth retrying (timeout, 429, 5xx, network). */
  | { kind: 'failed'; detail: string };

export interface RevokeOptions {
  /** Find the key and report what would be done, without the changing call. */
  dryRun: boolean;
}

/** One hour of use of one provider key, as the provider's usage API reports it. */
export interface UsageBucket {
  /** The provider's id of the key (OpenAI `key_…`, Anthropic `apikey_…`). */
  keyId: string;
  /** Start of the hour (UTC). */
  hour: Date;
  /** Model requests in the hour (0 when the provider reports only tokens). */
  requests: number;
  /** Input + output tokens in the hour. */
  tokens: number;
}

/** The provider key behind a secret, found with the provider's admin API (for usage and revocation). */
export interface KeyIdentity {
  keyId: string;
  /** OpenAI project id, Anthropic workspace id, …, when the provider has one. */
  scope?: string;
}

/** Everything an adapter may use besides the secret. */
export interface ProviderContext {
  /** The only way an adapter talks to a provider (timeouts, no cross-host redirects, scrubbed errors). */
  http: ProviderHttp;
  /** Admin credentials from the server's environment or secrets file (never from repository config). */
  admin: AdminCredentials;
  now(): Date;
}

/**
 * Admin credentials, validated at start (`src/providers/admin-credentials.ts`). Each is wrapped in a
 * {@link Secret} so it cannot be logged by accident.
 */
export interface AdminCredentials {
  openai?: { adminKey: Secret };
  anthropic?: { adminKey: Secret };
  google?: { serviceAccount: { clientEmail: string; privateKey: Secret; projectId?: string } };
  aws?: { accessKeyId: string; secretAccessKey: Secret; sessionToken?: Secret; region: string };
}

export interface ProviderAdapter {
  /** The provider, as rules name it (`Rule.provider`): `openai`, `anthropic`, … */
  provider: string;
  /** The rule ids this adapter understands (a credential of another rule gets `manual`). */
  rules: readonly string[];
  /** Read-only check of whether the key still works. Never throws: failures are `unknown`. */
  verify(secret: Secret, ruleId: string, ctx: ProviderContext): Promise<Verification>;
  /**
   * Revokes the key (or plans it, in a dry run). Never throws for provider answers: refusals and failures
   * are outcomes. Absent when the provider has no API for it: the owner gets the manual key page.
   */
  revoke?(
    secret: Secret,
    ruleId: string,
    ctx: ProviderContext,
    options: RevokeOptions,
  ): Promise<RevocationOutcome>;
  /** The provider's id of the key, via the admin API, when one is configured (for usage anomalies). */
  identify?(secret: Secret, ruleId: string, ctx: ProviderContext): Promise<KeyIdentity | undefined>;
  /** Hourly use per key id since `since` (UTC hours), when the provider has a usage API and admin access. */
  usage?(since: Date, ctx: ProviderContext): Promise<UsageBucket[]>;
}
