import { describe, expect, it } from 'vitest';
import {
  BODY_MAX,
  CLASS_RISK,
  credentialMarker,
  htmlBaseFromApi,
  type IssueContext,
  type IssueLocation,
  type IssueOwners,
  issueBody,
  issueTitle,
  type LeakedCredential,
  locationsComment,
  locationUrl,
} from './issue-body.js';

const fingerprint = 'f'.repeat(64);
const credential: LeakedCredential = {
  fingerprint,
  provider: 'openai',
  ruleId: 'openai.project-key',
  title: 'OpenAI project API key',
  class: 'model-api',
  severity: 'critical',
  redacted: 'sk-proj-…a1B2',
  state: 'notified',
  firstSeen: new Date('2026-01-02T03:04:05Z'),
  revokeUrl: 'https://platform.openai.com/api-keys',
};
const sha = '0123456789abcdef0123456789abcdef01234567';
const location: IssueLocation = {
  repo: 'acme/app',
  commitSha: sha,
  path: 'app/settings.py',
  line: 12,
  source: 'push',
  ref: 'refs/heads/main',
};
const owners: IssueOwners = { assignees: ['alice', 'bob'], teams: ['@acme/backend'], notes: [] };
const context: IssueContext = { htmlBase: 'https://github.com', visibility: new Map() };

describe('issue title and body', () => {
  it('names the credential kind, its redacted preview and the repository in the title', () => {
    expect(issueTitle(credential, 'acme/app')).toBe(
      'Leaked OpenAI project API key sk-proj-…a1B2 in acme/app',
    );
  });

  it('says what leaked, with the class risk, severity and preview, and starts with the marker', () => {
    const body = issueBody(credential, [location], owners, context);

    expect(body.startsWith(`${credentialMarker(fingerprint)}\n`)).toBe(true);
    expect(body).toContain(
      '<!-- keywarden:credential ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff -->',
    );
    expect(body).toContain('| Credential | OpenAI project API key (`openai.project-key`) |');
    expect(body).toContain(`| Class | \`model-api\`: this kind of key ${CLASS_RISK['model-api']} |`);
    expect(body).toContain('| Severity | **critical** |');
    expect(body).toContain('| Preview | `sk-proj-…a1B2` (redacted');
    expect(body).toContain('| First seen | 2026-01-02 03:04 UTC |');
    expect(body).not.toContain('Verified at the provider');
  });

  it('shows the latest verification at the provider once there is one, table cells kept intact', () => {
    const verified: LeakedCredential = {
      ...credential,
      verification: {
        verdict: 'dead',
        detail: 'GET api.openai.com/v1/models answered 401 invalid_api_key | revoked',
        at: new Date('2026-01-03T04:05:00Z'),
      },
    };

    const body = issueBody(verified, [location], owners, context);

    expect(body).toContain(
      '| Verified at the provider | **dead** on 2026-01-03 04:05 UTC: GET api.openai.com/v1/models answered 401 invalid\\_api\\_key \\| revoked |',
    );
  });

  it('links every location to the file and line at the commit', () => {
    const body = issueBody(credential, [location], owners, context);

    expect(body).toContain(
      `| \`acme/app\` | [\`0123456\`](https://github.com/acme/app/commit/${sha}) | [\`app/settings.py:12\`](https://github.com/acme/app/blob/${sha}/app/settings.py#L12) | push to \`main\` |`,
    );
  });

  it('encodes odd paths in links and keeps table cells intact', () => {
    const odd = { ...location, path: 'conf ig/a|b#c.env', line: 3 };

    expect(locationUrl('https://github.com', odd)).toBe(
      `https://github.com/acme/app/blob/${sha}/conf%20ig/a%7Cb%23c.env#L3`,
    );
    expect(issueBody(credential, [odd], owners, context)).toContain('[`conf ig/a\\|b#c.env:3`]');
  });

  it('says who owns it: assignees, teams and notes', () => {
    const body = issueBody(
      credential,
      [location],
      { ...owners, notes: ['dev@acme.test is an email owner, so it is not assigned.'] },
      context,
    );

    expect(body).toContain('Assigned to @alice, @bob (CODEOWNERS of the exposed paths).');
    expect(body).toContain('Owning teams: @acme/backend.');
    expect(body).toContain('> dev@acme.test is an email owner, so it is not assigned.');
  });

  it('explains a fallback assignment and an empty one', () => {
    const fallback = issueBody(credential, [location], { ...owners, fallback: 'admins' }, context);
    const nobody = issueBody(credential, [location], { assignees: [], teams: [], notes: [] }, context);

    expect(fallback).toContain('(repository admins: no CODEOWNER of the exposed paths could be assigned');
    expect(nobody).toContain('Nobody could be assigned');
  });

  it('has the state, what happens next, and the checklist with the revocation page', () => {
    const body = issueBody(credential, [location], owners, context);

    expect(body).toContain('### State: `notified`');
    expect(body).toContain('Waiting for an owner.');
    expect(body).toContain('- [ ] **Revoke** the key at the provider: https://platform.openai.com/api-keys');
    expect(body).toContain('- [ ] **Create a new key** and keep it in a secrets manager');
    expect(body).toContain('- [ ] **Remove** the key from the code');
    expect(body).toContain('If the repository is (or ever was) public');
  });

  it('says plainly when the repository is public', () => {
    const body = issueBody(credential, [location], owners, {
      ...context,
      visibility: new Map([['acme/app', 'public']]),
    });

    expect(body).toContain('**`acme/app` is public: treat the history as compromised.**');
  });

  it('lists every command and who may use them', () => {
    const body = issueBody(credential, [location], owners, { ...context, securityTeam: '@acme/security' });

    for (const command of [
      '/keywarden confirm',
      '/keywarden false-positive <reason>',
      '/keywarden test-credential <reason>',
      '/keywarden revoke',
      '/keywarden rotated',
      '/keywarden status',
      '/keywarden help',
    ]) {
      expect(body).toContain(`| \`${command}\` |`);
    }
    expect(body).toContain(
      'Who may use them: a CODEOWNER of an exposed path, a member of @acme/security (the security team), or anyone with admin or maintain permission on `acme/app`.',
    );
  });

  it('stays under GitHub’s limit with thousands of long locations, and counts the ones left out', () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({
      ...location,
      path: `${'deep/'.repeat(40)}file-${i}.env`,
      line: i + 1,
    }));

    const body = issueBody(credential, many, owners, { ...context, totalLocations: 5000 });

    expect(body.length).toBeLessThanOrEqual(BODY_MAX);
    const rows = body.split('\n').filter((line) => line.startsWith('| `acme/app` |')).length;
    expect(rows).toBeGreaterThan(0);
    expect(body).toContain(`_…and ${5000 - rows} more locations not listed here._`);
  });

  it('announces new locations in a comment, and says when the issue is reopened', () => {
    const comment = locationsComment([location], context, { reopened: false, newAssignees: ['carol'] });
    const reopened = locationsComment([location], context, { reopened: true });

    expect(comment).toContain('**This credential was found again** (1 new location).');
    expect(comment).toContain(`https://github.com/acme/app/blob/${sha}/app/settings.py#L12`);
    expect(comment).toContain('Also assigned, as owners of the new locations: @carol.');
    expect(reopened).toContain('**Reopened: this credential leaked again** (1 new location).');
  });

  it('finds the web host of github.com and of GitHub Enterprise Server', () => {
    expect(htmlBaseFromApi('https://api.github.com')).toBe('https://github.com');
    expect(htmlBaseFromApi('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com');
    expect(htmlBaseFromApi('http://127.0.0.1:4000/api/v3/')).toBe('http://127.0.0.1:4000');
  });
});
