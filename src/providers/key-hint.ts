import type { Secret } from '../engine/secret.js';

/**
 * Admin APIs list keys by a redacted hint, never the value: OpenAI's `redacted_value`
 * (`sk-proj-abc...wxyz`), Anthropic's `partial_key_hint` (`sk-ant-api03-R2D...igAA`). A hint fits a
 * secret when the secret starts with the hint's visible prefix and ends with its visible suffix, and is
 * longer than both together. The comparison is local: the secret is never sent to the admin API.
 *
 * The separator may be `...`, `…` or a run of `*`. A hint without a separator or without a suffix fits
 * nothing, so a malformed listing can only lead to "no match", never to a wrong key.
 */
export function matchesKeyHint(hint: string, secret: Secret): boolean {
  const parts = /^([^.…*]+)(?:\.{3,}|…|\*{2,})([^.…*]+)$/.exec(hint);
  if (!parts) return false;
  const [, prefix = '', suffix = ''] = parts;
  const raw = secret.reveal();
  return raw.length > prefix.length + suffix.length && raw.startsWith(prefix) && raw.endsWith(suffix);
}
