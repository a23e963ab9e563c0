import { describe, expect, it } from 'vitest';
import { type IssueAlert, issueBody, type LeakedCredential } from '../remediation/issue-body.js';
import { type AlertNotice, noticesComment, resolutionText } from './notices.js';

/** The GitHub secret scanning part of a remediation issue, and the comments alert changes post. */

const credential: LeakedCredential = {
  fingerprint: 'f'.repeat(64),
  provider: 'openai',
  ruleId: 'openai.project-key',
  title: 'OpenAI project API key',
  class: 'model-api',
  severity: 'high',
  redacted: 'sk-proj-…a1B2',
  state: 'notified',
  firstSeen: new Date('2026-01-02T03:04:05Z'),
};
const location = {
  repo: 'acme/app',
  commitSha: '0123456789abcdef0123456789abcdef01234567',
  path: 'app/settings.py',
  line: 12,
  source: 'alert',
};
const owners = { assignees: ['alice'], teams: [], notes: [] };
const alert: IssueAlert = {
  repo: 'acme/app',
  number: 7,
  htmlUrl: 'https://github.com/acme/app/security/secret-scanning/7',
  state: 'open',
  resolution: null,
  resolvedBy: null,
  pushProtectionBypassed: false,
  pushProtectionBypassedBy: null,
  pushProtectionBypassedAt: null,
  publiclyLeaked: false,
  validity: 'active',
  otherLocations: [],
};

function body(alerts?: IssueAlert[]): string {
  return issueBody(credential, [location], owners, {
    htmlBase: 'https://github.com',
    visibility: new Map(),
    ...(alerts ? { alerts } : {}),
  });
}

describe('the alerts section of an issue', () => {
  it('is absent when no alert is about the credential', () => {
    expect(body()).not.toContain('GitHub secret scanning');
    expect(body([])).not.toContain('GitHub secret scanning');
  });

  it('lists each alert with its link, repository, state and validity', () => {
    const text = body([
      alert,
      {
        ...alert,
        number: 8,
        state: 'resolved',
        resolution: 'used_in_tests',
        resolvedBy: 'bob',
        validity: null,
      },
    ]);

    expect(text).toContain('### GitHub secret scanning');
    expect(text).toContain(
      '| [#7](https://github.com/acme/app/security/secret-scanning/7) | `acme/app` | open | active | — |',
    );
    expect(text).toContain('| resolved as used in tests by @bob | unknown | — |');
    expect(text.indexOf('### Where')).toBeLessThan(text.indexOf('### GitHub secret scanning'));
    expect(text.indexOf('### GitHub secret scanning')).toBeLessThan(text.indexOf('### Who owns it'));
  });

  it('flags a push protection bypass with who and when, and a public leak', () => {
    const text = body([
      {
        ...alert,
        pushProtectionBypassed: true,
        pushProtectionBypassedBy: 'mallory',
        pushProtectionBypassedAt: new Date('2026-01-03T04:05:00Z'),
        publiclyLeaked: true,
      },
    ]);

    expect(text).toContain(
      '> **Push protection was bypassed** by @mallory on 2026-01-03 04:05 UTC (alert [#7](https://github.com/acme/app/security/secret-scanning/7))',
    );
    expect(text).toContain('| **bypassed** by @mallory |');
    expect(text).toContain('> **GitHub found this secret leaked in public**');
  });

  it('lists the places outside the code', () => {
    const text = body([
      {
        ...alert,
        otherLocations: [
          { kind: 'pull_request_comment', url: 'https://github.com/acme/app/pull/3#issuecomment-9' },
        ],
      },
    ]);

    expect(text).toContain(
      '- pull request comment: <https://github.com/acme/app/pull/3#issuecomment-9> (alert [#7]',
    );
  });
});

describe('alert notices', () => {
  const ref = {
    repo: 'acme/app',
    number: 7,
    htmlUrl: 'https://github.com/acme/app/security/secret-scanning/7',
  };

  it('say a resolution on GitHub does not move the credential', () => {
    const notice: AlertNotice = { kind: 'alert:resolved', ...ref, resolution: 'false_positive', by: 'bob' };

    expect(noticesComment([notice], 'confirmed')).toBe(
      'GitHub secret scanning alert [#7](https://github.com/acme/app/security/secret-scanning/7) in `acme/app` was resolved as **a false positive** by @bob. ' +
        "keywarden records this in the audit log but does not change the credential's state (`confirmed`): closing an alert does not revoke the key. " +
        'Use the commands below to say what it is.\n',
    );
  });

  it('put every change in one comment, a paragraph each', () => {
    const text = noticesComment(
      [
        { kind: 'alert:opened', ...ref, pushProtectionBypassed: true, by: 'mallory' },
        { kind: 'alert:publicly-leaked', ...ref },
        { kind: 'alert:reopened', ...ref },
      ],
      'notified',
    );

    expect(text.split('\n\n')).toEqual([
      'GitHub secret scanning also reported this credential: alert [#7](https://github.com/acme/app/security/secret-scanning/7) in `acme/app`. The alerts are listed in the issue.',
      '**Push protection was bypassed** by @mallory (alert [#7](https://github.com/acme/app/security/secret-scanning/7) in `acme/app`): GitHub blocked the push that carried this key, and it was pushed anyway.',
      '**GitHub found this secret leaked in public** (alert [#7](https://github.com/acme/app/security/secret-scanning/7) in `acme/app`): anyone may have it. Treat the key as compromised and revoke it at the provider now.',
      'GitHub secret scanning alert [#7](https://github.com/acme/app/security/secret-scanning/7) in `acme/app` was reopened.\n',
    ]);
  });

  it.each([
    ['false_positive', 'a false positive'],
    ['used_in_tests', 'used in tests'],
    ['wont_fix', "won't fix"],
    ['pattern_deleted', 'pattern deleted'],
    ['something_new', 'something new'],
    [null, 'resolved'],
  ])('reads the resolution %s as %s', (resolution, text) => {
    expect(resolutionText(resolution)).toBe(text);
  });
});
