import { JUMP_FACTOR, USAGE_FLOORS, type UsageUnit } from './baseline.js';

/** What the comment on a usage jump names. */
export interface UsageJump {
  provider: string;
  keyId: string;
  /** Start of the hour (UTC). */
  hour: Date;
  unit: UsageUnit;
  observed: number;
  median: number;
  /** The credential's lifecycle state (a revoked key that is still used gets another ending). */
  state: string;
}

/** The hidden marker of a jump's comment: how a job that took over a stale claim finds an earlier post. */
export function usageMarker(jump: Pick<UsageJump, 'provider' | 'keyId' | 'hour'>): string {
  return `<!-- keywarden:usage ${jump.provider} ${jump.keyId} ${jump.hour.toISOString()} -->`;
}

/**
 * The issue comment on a usage jump: the key id, the numbers (use in the hour, the multiple of the 7-day
 * hourly median, the threshold and floor) and what to do.
 *
 * @example
 * // Usage jump on key `key_abc`: 182,000 tokens in the hour from 14:00 UTC on 2025-03-14, 36× the
 * // 7-day hourly median of 5,000 (threshold 5× with a floor of 10,000). If this is not you, …
 */
export function usageComment(jump: UsageJump): string {
  const iso = jump.hour.toISOString();
  const when = `in the hour from ${iso.slice(11, 16)} UTC on ${iso.slice(0, 10)}`;
  const compared =
    jump.median > 0
      ? `${formatRatio(jump.observed / jump.median)}× the 7-day hourly median of ${formatCount(jump.median)}`
      : 'while its 7-day hourly median is 0';
  const rule = `(threshold ${JUMP_FACTOR}× with a floor of ${formatCount(USAGE_FLOORS[jump.unit])})`;
  const next =
    jump.state === 'revoked' || jump.state === 'rotated'
      ? 'This key is recorded as revoked: check at the provider that it really is disabled.'
      : 'If this is not you, revoke now: `/keywarden revoke`.';
  return [
    usageMarker(jump),
    '### Usage jump',
    '',
    `Usage jump on ${jump.provider} key \`${jump.keyId}\`: ${formatCount(jump.observed)} ${jump.unit} ${when}, ` +
      `${compared} ${rule}. ${next}`,
  ].join('\n');
}

/** `182,000`; a fractional median keeps one decimal (`2,500.5`). */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** `36` from 10 on; below, up to two decimals (`5.25`), so a jump just over the threshold reads as such. */
export function formatRatio(ratio: number): string {
  return ratio >= 10
    ? Math.round(ratio).toLocaleString('en-US')
    : ratio.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
