/**
 * The per-key usage baseline and the jump decision. Pure: no clock, no database, no network.
 *
 * An hour of one provider key is a jump when what it used in that hour is more than
 * {@link JUMP_FACTOR} times the median of its previous {@link BASELINE_HOURS} hours (missing hours count
 * as 0) AND at least the {@link USAGE_FLOORS floor} of the unit. The median, not the mean: one earlier
 * burst does not raise the bar for a week, and a key used a few hours a day has a median of 0, so any
 * real use above the floor is reported. The floor keeps idle keys quiet: a dormant key making a few
 * calls is not news, a dormant key burning 10,000 tokens in an hour is.
 */

/** What is compared: tokens when the provider reports them, else model requests. */
export type UsageUnit = 'tokens' | 'requests';

/** The trailing window of the baseline: 7 days of hours. */
export const BASELINE_HOURS = 168;

/** An hour is a jump above this multiple of the baseline median (strictly above). */
export const JUMP_FACTOR = 5;

/**
 * The least use in one hour that is reported, per unit: 10,000 tokens (a few dozen ordinary chat
 * completions) or 100 requests.
 */
export const USAGE_FLOORS: Readonly<Record<UsageUnit, number>> = { tokens: 10_000, requests: 100 };

const HOUR_MS = 3_600_000;

/** One hour of use of one key (the start of the hour, UTC). */
export interface HourlyUsage {
  hour: Date;
  requests: number;
  tokens: number;
}

/** The decision for one hour, with the numbers a message names. */
export interface UsageJudgement {
  /** The hour tested (its start). */
  hour: Date;
  unit: UsageUnit;
  /** Use in the hour tested. */
  observed: number;
  /** Median use per hour over the {@link BASELINE_HOURS} hours before it. */
  median: number;
  /** `observed / median`; `null` when the median is 0. */
  ratio: number | null;
  /** {@link JUMP_FACTOR} (the multiple of the median that must be exceeded). */
  factor: number;
  /** The floor of the unit ({@link USAGE_FLOORS}). */
  floor: number;
  /** `observed > factor × median` and `observed ≥ floor`. */
  anomaly: boolean;
}

/** `tokens` when any hour of the series reports tokens, else `requests`. */
export function usageUnit(series: readonly HourlyUsage[]): UsageUnit {
  return series.some((entry) => entry.tokens > 0) ? 'tokens' : 'requests';
}

/**
 * Judges `hour` of one key against the {@link BASELINE_HOURS} hours before it. `series` holds the key's
 * known hours in any order (others count as 0); `unit` defaults to {@link usageUnit} of the series.
 *
 * @example
 * // 168 quiet hours at 5,000 tokens, then 182,000: a jump of 36.4×
 * judgeHour(series, new Date('2025-03-14T14:00:00Z')).anomaly // true
 */
export function judgeHour(
  series: readonly HourlyUsage[],
  hour: Date,
  unit: UsageUnit = usageUnit(series),
): UsageJudgement {
  const byHour = new Map<number, number>();
  for (const entry of series) byHour.set(entry.hour.getTime(), entry[unit]);
  const start = hour.getTime();
  const window: number[] = [];
  for (let back = BASELINE_HOURS; back >= 1; back--) window.push(byHour.get(start - back * HOUR_MS) ?? 0);
  const observed = byHour.get(start) ?? 0;
  const baseline = median(window);
  const floor = USAGE_FLOORS[unit];
  return {
    hour,
    unit,
    observed,
    median: baseline,
    ratio: baseline > 0 ? observed / baseline : null,
    factor: JUMP_FACTOR,
    floor,
    anomaly: observed > JUMP_FACTOR * baseline && observed >= floor,
  };
}

/** The median of `values` (the mean of the two middle values for an even count; 0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
