import { describe, expect, it } from 'vitest';
import { isManagedLabel, issueLabels, mergeLabels } from './labels.js';

describe('issue labels', () => {
  it('labels provider, severity and state, then the configured labels', () => {
    expect(
      issueLabels({ provider: 'openai', severity: 'critical', state: 'notified' }, ['security', 'keywarden']),
    ).toEqual(['keywarden', 'provider:openai', 'severity:critical', 'state:notified', 'security']);
  });

  it('replaces only its own labels when the state changes', () => {
    const current = [
      'keywarden',
      'provider:openai',
      'severity:critical',
      'state:notified',
      'overdue',
      'team-a',
    ];

    const next = mergeLabels(
      current,
      issueLabels({ provider: 'openai', severity: 'critical', state: 'confirmed' }),
    );

    expect(next).toEqual([
      'overdue',
      'team-a',
      'keywarden',
      'provider:openai',
      'severity:critical',
      'state:confirmed',
    ]);
    expect(isManagedLabel('state:revoked')).toBe(true);
    expect(isManagedLabel('overdue')).toBe(false);
  });
});
