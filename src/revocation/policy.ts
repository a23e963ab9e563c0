import type { RevocationPolicy } from '../config/schema.js';
import type { AdminCredentials, ProviderAdapter } from '../providers/types.js';

/**
 * What keywarden may do at the provider for one credential, from the repository's `revocation` policy
 * and what the provider's adapter can do. Pure: the jobs and the `revoke` command ask it, then act.
 *
 * - `off` (the default): keywarden never sends the key anywhere; owners get the manual steps.
 * - `dry-run`: verify, find the key with the admin API and say what would be revoked; change nothing.
 * - `on-confirm`: revoke when an owner confirms the leak (or asks with `/keywarden revoke`).
 * - `auto-when-live`: as `on-confirm`, and also revoke high and critical keys that verification finds
 *   live, without waiting for anyone.
 */

/** How a revocation would run: at the provider for real, as a plan, or by hand. */
export type RevocationMode = 'revoke' | 'dry-run' | 'manual';

export interface RevocationPlan {
  mode: RevocationMode;
  /** Why the mode is `manual` (for the reply), when it is. */
  why?: string;
}

/** What `/keywarden revoke` (or a confirmation under `on-confirm`) does. */
export function revocationPlan(
  policy: RevocationPolicy,
  adapter: ProviderAdapter | undefined,
  providerName: string,
): RevocationPlan {
  if (!adapter?.revoke) {
    return { mode: 'manual', why: `${providerName} has no API keywarden can revoke this kind of key with` };
  }
  if (policy === 'off') {
    return {
      mode: 'manual',
      why: 'revocation through the provider is off for this repository (`revocation: off` in `.github/keywarden.yml`)',
    };
  }
  return { mode: policy === 'dry-run' ? 'dry-run' : 'revoke' };
}

/** Whether confirming a credential starts its revocation (policies `on-confirm` and `auto-when-live`). */
export function revokesOnConfirm(policy: RevocationPolicy, adapter: ProviderAdapter | undefined): boolean {
  return Boolean(adapter?.revoke) && (policy === 'on-confirm' || policy === 'auto-when-live');
}

/** Whether keywarden verifies credentials at the provider at all (every policy but `off`). */
export function verifies(policy: RevocationPolicy): boolean {
  return policy !== 'off';
}

/** Severities `auto-when-live` revokes without waiting for an owner. */
const AUTO_SEVERITIES: readonly string[] = ['critical', 'high'];

/** Whether a verified-live credential is revoked at once (`auto-when-live`, high and above). */
export function revokesWhenLive(
  policy: RevocationPolicy,
  adapter: ProviderAdapter | undefined,
  severity: string,
): boolean {
  return policy === 'auto-when-live' && Boolean(adapter?.revoke) && AUTO_SEVERITIES.includes(severity);
}

/**
 * Whether keywarden can find the provider's id of a leaked key (for the usage watch) whatever the policy:
 * the adapter can identify keys and the server holds that provider's admin credential. Identifying sends
 * the leaked key nowhere: the admin API lists keys by a redacted hint, compared locally.
 */
export function identifies(adapter: ProviderAdapter | undefined, admin: AdminCredentials): boolean {
  if (!adapter?.identify) return false;
  return admin[adapter.provider as keyof AdminCredentials] !== undefined;
}
