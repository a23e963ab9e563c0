import { createHmac } from 'node:crypto';

/**
 * The documented default fingerprint key, for local CLI use only. A server sets its own key
 * (`KEYWARDEN_FINGERPRINT_KEY`); fingerprints made under different keys do not match.
 */
export const DEFAULT_FINGERPRINT_KEY = 'keywarden-local-default-fingerprint-key';

/** HMAC-SHA-256 of the secret under `key`, as lower-case hex: stable, not reversible without the key. */
export function fingerprint(secret: string, key: string): string {
  return createHmac('sha256', key).update(secret, 'utf8').digest('hex');
}
