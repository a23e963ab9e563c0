import { describe, expect, it } from 'vitest';
import { BASELINE_HOURS, type HourlyUsage, judgeHour, median, USAGE_FLOORS, usageUnit } from './baseline.js';

const HOUR_MS = 3_600_000;
const TESTED = new Date('2025-03-14T14:00:00Z');

/** `count` hours ending right before the tested hour, each using `tokens` tokens (and `requests`). */
function hoursBefore(count: number, tokens: number, requests = 0): HourlyUsage[] {
  return Array.from({ length: count }, (_, i) => ({
    hour: new Date(TESTED.getTime() - (i + 1) * HOUR_MS),
    requests,
    tokens,
  }));
}

function testedHour(tokens: number, requests = 0): HourlyUsage {
  return { hour: TESTED, requests, tokens };
}

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('judgeHour', () => {
  it('a key with no use at all is no jump', () => {
    const judgement = judgeHour([], TESTED);

    expect(judgement).toEqual({
      hour: TESTED,
      unit: 'requests',
      observed: 0,
      median: 0,
      ratio: null,
      factor: 5,
      floor: 100,
      anomaly: false,
    });
  });

  it('a dormant key (median 0) jumps as soon as it reaches the floor', () => {
    const zeros = hoursBefore(BASELINE_HOURS, 0);

    expect(judgeHour([...zeros, testedHour(10_000)], TESTED)).toMatchObject({
      unit: 'tokens',
      observed: 10_000,
      median: 0,
      ratio: null,
      anomaly: true,
    });
    expect(judgeHour([...zeros, testedHour(9_999)], TESTED).anomaly).toBe(false);
  });

  it('flat use is no jump', () => {
    expect(judgeHour([...hoursBefore(BASELINE_HOURS, 5_000), testedHour(5_000)], TESTED)).toMatchObject({
      observed: 5_000,
      median: 5_000,
      ratio: 1,
      anomaly: false,
    });
  });

  it('a spike over 5× the median and over the floor is a jump, with the numbers', () => {
    expect(judgeHour([...hoursBefore(BASELINE_HOURS, 5_000), testedHour(182_000)], TESTED)).toEqual({
      hour: TESTED,
      unit: 'tokens',
      observed: 182_000,
      median: 5_000,
      ratio: 36.4,
      factor: 5,
      floor: 10_000,
      anomaly: true,
    });
  });

  it('a spike under the floor is no jump, however large the ratio', () => {
    const judgement = judgeHour([...hoursBefore(BASELINE_HOURS, 100), testedHour(9_000)], TESTED);

    expect(judgement).toMatchObject({ observed: 9_000, median: 100, ratio: 90, anomaly: false });
  });

  it('exactly 5× the median is no jump; one more is', () => {
    const flat = hoursBefore(BASELINE_HOURS, 5_000);

    expect(judgeHour([...flat, testedHour(25_000)], TESTED)).toMatchObject({ ratio: 5, anomaly: false });
    expect(judgeHour([...flat, testedHour(25_001)], TESTED).anomaly).toBe(true);
  });

  it('counts missing hours as 0 and looks only at the 168 hours before the hour tested', () => {
    // 84 hours at 1,000 and 84 missing: median (0 + 1,000) / 2 = 500.
    const half = hoursBefore(84, 1_000);
    const outside = [
      { hour: new Date(TESTED.getTime() - (BASELINE_HOURS + 1) * HOUR_MS), requests: 0, tokens: 10 ** 9 },
      { hour: new Date(TESTED.getTime() + HOUR_MS), requests: 0, tokens: 10 ** 9 },
    ];

    const judgement = judgeHour([...half, ...outside, testedHour(3_000)], TESTED);

    expect(judgement).toMatchObject({ observed: 3_000, median: 500, ratio: 6, anomaly: false });
    expect(judgeHour([...half, testedHour(10_000)], TESTED)).toMatchObject({ ratio: 20, anomaly: true });
  });

  it('counts requests when the provider reports no tokens', () => {
    const quiet = hoursBefore(BASELINE_HOURS, 0, 10);

    expect(usageUnit([...quiet, testedHour(0, 100)])).toBe('requests');
    expect(judgeHour([...quiet, testedHour(0, 100)], TESTED)).toMatchObject({
      unit: 'requests',
      observed: 100,
      median: 10,
      ratio: 10,
      floor: USAGE_FLOORS.requests,
      anomaly: true,
    });
    expect(judgeHour([...quiet, testedHour(0, 99)], TESTED).anomaly).toBe(false);
  });
});
