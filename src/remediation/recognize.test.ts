import { describe, expect, it } from 'vitest';
import { credentialMarker } from './issue-body.js';
import { isBot, isKeywardenIssue, markerFingerprint } from './recognize.js';

const fingerprint = 'f'.repeat(64);

describe('recognize', () => {
  it('reads the marker the issue body writes', () => {
    expect(markerFingerprint(`# Leaked key\n\n${credentialMarker(fingerprint)}\n`)).toBe(fingerprint);
    expect(markerFingerprint('<!-- keywarden:credential abc -->')).toBeUndefined();
    expect(markerFingerprint(null)).toBeUndefined();
  });

  it('knows a keywarden issue by its label or its marker', () => {
    expect(isKeywardenIssue({ labels: [{ name: 'bug' }, { name: 'Keywarden' }], body: '' })).toBe(true);
    expect(isKeywardenIssue({ labels: ['keywarden'] })).toBe(true);
    expect(isKeywardenIssue({ labels: [null, { name: 'bug' }], body: credentialMarker(fingerprint) })).toBe(
      true,
    );
    expect(isKeywardenIssue({ labels: [{ name: 'state:notified' }], body: 'keywarden' })).toBe(false);
  });

  it('treats bots, apps and missing users as bots', () => {
    expect(isBot({ login: 'keywarden[bot]', type: 'Bot' })).toBe(true);
    expect(isBot({ login: 'renovate[bot]' })).toBe(true);
    expect(isBot(null)).toBe(true);
    expect(isBot({ login: 'octocat', type: 'User' })).toBe(false);
  });
});
