import { createHash } from 'node:crypto';
import { allRules } from '../rules/registry.js';

/**
 * The demo's planted key and fingerprint key, both derived from its seed: a test that runs the demo with
 * a seed computes the same key to check that it never appears in the output. The key is a fresh OpenAI
 * project key built by the rule's own sampler; it opens nothing anywhere.
 */

/** The OpenAI project key the demo commits for `seed`. */
export function plantedKey(seed: string): string {
  const rule = allRules.find((candidate) => candidate.id === 'openai.project-key');
  if (!rule) throw new Error('the openai.project-key rule is missing from the registry');
  return rule.sample(`demo:${seed}`);
}

/** The HMAC key of the demo's fingerprints (`KEYWARDEN_FINGERPRINT_KEY`) for `seed`. */
export function demoFingerprintKey(seed: string): string {
  return createHash('sha256').update(`keywarden-demo-fingerprint:${seed}`).digest('hex');
}
