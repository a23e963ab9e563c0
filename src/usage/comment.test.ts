import { describe, expect, it } from 'vitest';
import { formatCount, formatRatio, usageComment } from './comment.js';

const JUMP = {
  provider: 'openai',
  keyId: 'key_abc',
  hour: new Date('2025-03-14T14:00:00Z'),
  unit: 'tokens' as const,
  observed: 182_000,
  median: 5_000,
  state: 'notified',
};

describe('usageComment', () => {
  it('names the key, the hour, the numbers and the command', () => {
    expect(usageComment(JUMP)).toBe(
      [
        '<!-- keywarden:usage openai key_abc 2025-03-14T14:00:00.000Z -->',
        '### Usage jump',
        '',
        'Usage jump on openai key `key_abc`: 182,000 tokens in the hour from 14:00 UTC on 2025-03-14, ' +
          '36× the 7-day hourly median of 5,000 (threshold 5× with a floor of 10,000). ' +
          'If this is not you, revoke now: `/keywarden revoke`.',
      ].join('\n'),
    );
  });

  it('says when the key was idle, and counts requests with their own floor', () => {
    const comment = usageComment({ ...JUMP, unit: 'requests', observed: 250, median: 0 });

    expect(comment).toContain(
      '250 requests in the hour from 14:00 UTC on 2025-03-14, while its 7-day hourly median is 0 ' +
        '(threshold 5× with a floor of 100).',
    );
  });

  it('asks to check the provider when the key is recorded as revoked', () => {
    expect(usageComment({ ...JUMP, state: 'revoked' })).toContain(
      'This key is recorded as revoked: check at the provider that it really is disabled.',
    );
  });
});

describe('formatting', () => {
  it.each([
    [36.4, '36'],
    [10, '10'],
    [5.25, '5.25'],
    [5.004, '5'],
    [1234.6, '1,235'],
  ])('ratio %d → %s', (ratio, text) => {
    expect(formatRatio(ratio)).toBe(text);
  });

  it('formats counts with thousands separators and at most one decimal', () => {
    expect([formatCount(182_000), formatCount(2_500.5), formatCount(0)]).toEqual(['182,000', '2,500.5', '0']);
  });
});
