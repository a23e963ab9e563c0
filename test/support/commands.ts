import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { scanText } from '../../src/engine/scan.js';
import { saveIssue } from '../../src/inventory/issues.js';
import { recordFindings } from '../../src/inventory/store.js';
import { credentialMarker } from '../../src/remediation/issue-body.js';
import { transition } from '../../src/remediation/lifecycle.js';
import { allRules } from '../../src/rules/registry.js';
import type { Rule } from '../../src/rules/types.js';
import { TEST_FINGERPRINT_KEY, type TestApp } from './app.js';
import { type GithubMock, webhookExample } from './github.js';
import { openapiExample } from './openapi.js';

/**
 * `/keywarden` commands in app tests: credentials seeded as an earlier scan and issue job left them, the
 * documented `issue_comment.created` payload pointed at their issue, and the GitHub requests a command
 * makes (config, CODEOWNERS, team membership, roles, the issue refresh and the reply).
 */

/** The rule of the credentials `seed` plants unless told otherwise. */
export const DEFAULT_RULE = allRules.find((candidate) => candidate.id === 'anthropic.api-key')!;
export const example = webhookExample('issue_comment', (p) => p.action === 'created' && 'installation' in p);
export const owner = example.repository.owner.login;
export const name = example.repository.name;
export const FULL_NAME = `${owner}/${name}`;
export const REPO = `/repos/${FULL_NAME}`;
export const REPO_ID = example.repository.id;
export const installationId = example.installation!.id;
export const PATH = 'services/api/.env';
export const SECURITY_TEAM = `@${owner}/security`;

export interface Seeded {
  id: number;
  fingerprint: string;
  secret: string;
  commitSha: string;
  issueNumber: number;
  /** The rule it was found with. */
  rule: Rule;
  /** The blob it was recorded in, when `seed` was given one. */
  blobSha?: string;
}

let nextIssue = 100;
let nextComment = 9_000_000;

export function shaOf(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

/**
 * A credential as an earlier scan and the issue job left it: found at `PATH` in one commit, its issue
 * open, state `notified`. Built through the real engine with the app's fingerprint key.
 */
export async function seed(
  app: TestApp,
  label: string,
  options: { withIssue?: boolean; rule?: Rule; blobSha?: string } = {},
): Promise<Seeded> {
  const rule = options.rule ?? DEFAULT_RULE;
  const secret = rule.sample(`commands-${label}`);
  const commitSha = shaOf(label);
  const findings = scanText(seededText(rule, secret), [rule], {
    path: PATH,
    fingerprintKey: TEST_FINGERPRINT_KEY,
  });
  expect(findings).toHaveLength(1);
  await recordFindings(
    app.db,
    findings,
    {
      repoId: REPO_ID,
      repo: FULL_NAME,
      commitSha,
      source: 'push',
      ref: 'refs/heads/master',
      ...(options.blobSha ? { blobSha: options.blobSha } : {}),
    },
    'Codertocat',
  );
  const fingerprint = findings[0]!.fingerprint;
  const { rows } = await app.db.query<{ id: unknown }>('SELECT id FROM credentials WHERE fingerprint = $1', [
    fingerprint,
  ]);
  const id = Number(rows[0]!.id);
  const issueNumber = nextIssue++;
  if (options.withIssue !== false) await saveIssue(app.db, id, FULL_NAME, issueNumber);
  await transition(app.db, id, 'notified', { actor: 'keywarden' });
  return {
    id,
    fingerprint,
    secret,
    commitSha,
    issueNumber,
    rule,
    ...(options.blobSha ? { blobSha: options.blobSha } : {}),
  };
}

/** The line `seed` plants a secret of `rule` in (an `.env` assignment named after the provider). */
export function seededText(rule: Rule, secret: string): string {
  return `${rule.provider.toUpperCase()}_API_KEY=${secret}\n`;
}

export type CommentPayload = ReturnType<typeof commentPayload>;

/** The documented `issue_comment.created` example, as `login` commenting `body` on the seeded issue. */
export function commentPayload(seeded: Seeded, body: string, login: string) {
  const payload = structuredClone(example);
  payload.issue.number = seeded.issueNumber;
  payload.issue.labels = [{ ...payload.issue.labels![0]!, name: 'keywarden' }];
  payload.issue.body = `Leaked key\n\n${credentialMarker(seeded.fingerprint)}\n`;
  payload.comment.id = nextComment++;
  payload.comment.body = body;
  payload.comment.user!.login = login;
  payload.sender.login = login;
  return payload;
}

let nextDelivery = 1;
export function deliveryId(): string {
  return `delivery-command-${nextDelivery++}`;
}

/** The config of the issue's repository: none (defaults), or one naming the security team. */
export function mockConfig(
  gh: GithubMock,
  options: { securityTeam?: boolean; yaml?: string; times?: number } = {},
): void {
  const times = options.times ?? 1;
  const file = gh.api.get(`${REPO}/contents/.github%2Fkeywarden.yml`).times(times);
  if (options.securityTeam || options.yaml) {
    const team = options.securityTeam ? `issues:\n  securityTeam: "${SECURITY_TEAM}"\n` : '';
    file.reply(200, `${team}${options.yaml ?? ''}`);
    return;
  }
  file.reply(404, { message: 'Not Found' });
  gh.api
    .get(`/repos/${owner}/.github/contents/.github%2Fkeywarden.yml`)
    .times(times)
    .reply(404, { message: 'Not Found' });
}

export function mockCodeowners(gh: GithubMock, sha: string, text: string | undefined): void {
  if (text !== undefined) {
    gh.api.get(`${REPO}/contents/.github%2FCODEOWNERS`).query({ ref: sha }).reply(200, text);
    return;
  }
  for (const path of ['.github%2FCODEOWNERS', 'CODEOWNERS', 'docs%2FCODEOWNERS']) {
    gh.api.get(`${REPO}/contents/${path}`).query({ ref: sha }).reply(404, { message: 'Not Found' });
  }
}

export function mockMembership(
  gh: GithubMock,
  team: string,
  login: string,
  member: boolean,
  times = 1,
): void {
  const [org, slug] = team.slice(1).split('/');
  const path = `/orgs/${org}/teams/${slug}/memberships/${login}`;
  if (member) {
    gh.api
      .get(path)
      .times(times)
      .reply(200, openapiExample('GET', '/orgs/{org}/teams/{team_slug}/memberships/{username}'));
  } else gh.api.get(path).times(times).reply(404, { message: 'Not Found' });
}

export function mockRole(gh: GithubMock, login: string, role: 'admin' | 'write', times = 1): void {
  const example = openapiExample('GET', '/repos/{owner}/{repo}/collaborators/{username}/permission');
  gh.api
    .get(`${REPO}/collaborators/${login}/permission`)
    .times(times)
    .reply(200, { ...example, permission: role, role_name: role });
}

export interface Sent {
  patches: Array<Record<string, unknown>>;
  comments: string[];
}

/** `refreshIssue`: reads the issue and the repository, updates the issue, adds the comment. */
export function mockRefresh(gh: GithubMock, seeded: Seeded, sent: Sent, state = 'notified'): void {
  mockRefreshUpdate(gh, seeded, sent, state);
  mockComment(gh, seeded, sent);
}

/** The part of `refreshIssue` before its comment, `times` over. */
export function mockRefreshUpdate(
  gh: GithubMock,
  seeded: Seeded,
  sent: Sent,
  state: string,
  times = 1,
): void {
  const issue = openapiExample<Record<string, unknown>>('GET', '/repos/{owner}/{repo}/issues/{issue_number}');
  gh.api
    .get(`${REPO}/issues/${seeded.issueNumber}`)
    .times(times)
    .reply(200, {
      ...issue,
      number: seeded.issueNumber,
      state: 'open',
      state_reason: null,
      body: `old body\n${credentialMarker(seeded.fingerprint)}`,
      labels: [
        'keywarden',
        `provider:${seeded.rule.provider}`,
        `severity:${seeded.rule.severity}`,
        `state:${state}`,
        'team-label',
      ].map((label, i) => ({
        id: i + 1,
        node_id: `L${i}`,
        url: '',
        name: label,
        color: 'ffffff',
        default: false,
      })),
    });
  gh.api.get(REPO).times(times).reply(200, openapiExample('GET', '/repos/{owner}/{repo}'));
  gh.api
    .patch(`${REPO}/issues/${seeded.issueNumber}`, (body) => {
      sent.patches.push(body);
      return true;
    })
    .times(times)
    .reply(200, { ...issue, number: seeded.issueNumber });
}

export function mockComment(gh: GithubMock, seeded: Seeded, sent: Sent, times = 1): void {
  gh.api
    .post(`${REPO}/issues/${seeded.issueNumber}/comments`, (body: { body: string }) => {
      sent.comments.push(body.body);
      return true;
    })
    .times(times)
    .reply(201, openapiExample('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', '201'));
}
