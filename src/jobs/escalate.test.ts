import { describe, expect, it } from 'vitest';
import { escalationComment, formatAge } from './escalate.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('formatAge', () => {
  it.each([
    [0, 'less than a minute'],
    [59_999, 'less than a minute'],
    [MINUTE, '1 minute'],
    [12 * MINUTE, '12 minutes'],
    [5 * HOUR + 3 * MINUTE, '5 hours 3 minutes'],
    [24 * HOUR, '1 day'],
    [26 * HOUR + 59 * MINUTE, '1 day 2 hours'],
    [30 * 24 * HOUR + 5 * MINUTE, '30 days'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});

describe('escalationComment', () => {
  const candidate = {
    severity: 'critical' as const,
    state: 'notified' as const,
    ageMs: 5 * HOUR,
    fingerprint: 'f'.repeat(64),
  };

  it('starts with a hidden marker naming the credential and the step', () => {
    expect(escalationComment(2, candidate, '4h', undefined).split('\n')[0]).toBe(
      `<!-- keywarden:escalation ${'f'.repeat(64)} step 2 -->`,
    );
  });

  it('asks a confirmed credential only to be revoked', () => {
    const comment = escalationComment(1, { ...candidate, state: 'confirmed' }, '4h', '@acme/security');

    expect(comment).toContain('record it here with `/keywarden revoke`.');
    expect(comment).not.toContain('/keywarden confirm');
    expect(comment).toContain('@acme/security, this needs your attention.');
  });
});
