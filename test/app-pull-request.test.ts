import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '../src/inventory/testing.js';
import { allRules } from '../src/rules/registry.js';
import { databaseDump, startTestApp, type TestApp } from './support/app.js';
import {
  type GithubMock,
  githubMock,
  mockInstallationToken,
  requestsContaining,
  webhookExample,
} from './support/github.js';
import { openapiExample } from './support/openapi.js';
import { mockIssueOpenings, mockNoRepoConfig } from './support/remediation.js';

/**
 * Pull requests and rerequested checks end to end, with real payloads from `@octokit/webhooks-examples`,
 * nock (network sealed) and every request checked against GitHub's OpenAPI description.
 */

const rule = allRules.find((candidate) => candidate.id === 'anthropic.api-key')!;
const opened = webhookExample('pull_request', (p) => p.action === 'opened' && 'installation' in p);
const { owner, name } = { owner: opened.repository.owner.login, name: opened.repository.name };
const REPO = `/repos/${owner}/${name}`;
const PR = opened.pull_request;
const installationId = opened.installation!.id;

function mockNoConfig(gh: GithubMock): void {
  mockNoRepoConfig(gh, { owner, repo: name }, opened.repository.default_branch);
}

function prFile(filename: string, lines: string[]) {
  const example = openapiExample<Array<Record<string, unknown>>>(
    'GET',
    '/repos/{owner}/{repo}/pulls/{pull_number}/files',
  );
  return {
    ...example[0],
    filename,
    status: 'added',
    additions: lines.length,
    deletions: 0,
    changes: lines.length,
    patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join('\n'),
  };
}

function checkRunReply(id: number) {
  return { ...openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201'), id };
}

describe.each(testBackends())('pull request on %s', (backend) => {
  let app: TestApp;
  let gh: GithubMock;

  beforeAll(async () => {
    app = await startTestApp(backend);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    gh = githubMock();
  });
  afterEach(() => gh.restore());

  it('annotates every leaked key, 50 annotations per request, and fails the check', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => rule.sample(`pr-${i}`));
    mockInstallationToken(gh, installationId, { required: true });
    mockNoConfig(gh);
    gh.api
      .get(`${REPO}/pulls/${PR.number}/files`)
      .query({ per_page: 100 })
      .reply(200, [
        prFile(
          'config/keys.env',
          keys.map((key, i) => `ANTHROPIC_KEY_${i}=${key}`),
        ),
      ]);
    gh.api.post(`${REPO}/check-runs`).reply(201, checkRunReply(7));
    gh.api.get(`${REPO}/check-runs/7/annotations`).query({ per_page: 100 }).reply(200, []);
    const updates: Array<Record<string, unknown>> = [];
    gh.api
      .patch(`${REPO}/check-runs/7`, (body) => {
        updates.push(body);
        return true;
      })
      .times(2)
      .reply(200, openapiExample('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}'));

    // One remediation job per key, each opening its credential's issue.
    const issues = mockIssueOpenings(
      gh,
      { owner, repo: name },
      { defaultBranch: opened.repository.default_branch, sha: PR.head.sha, count: keys.length },
    );

    const result = await app.deliver('pull_request', opened, 'delivery-pr-1');

    expect(result).toEqual({ completed: 1 + keys.length, failed: 0 });
    expect(issues.bodies).toHaveLength(keys.length);
    gh.assertDone();
    const batches = updates.map(
      (update) => (update['output'] as { annotations: unknown[] }).annotations.length,
    );
    expect(batches).toEqual([50, 10]);
    expect(updates.at(-1)).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(updates[0]!['status']).toBeUndefined();
    const { rows } = await app.db.query<{ count: number }>('SELECT count(*)::int AS count FROM credentials');
    expect(rows[0]!.count).toBe(60);
    const { rows: sources } = await app.db.query<{ source: string; pull_request: number }>(
      'SELECT DISTINCT source, pull_request FROM exposures',
    );
    expect(sources).toEqual([{ source: 'pull_request', pull_request: PR.number }]);
    const dump = await databaseDump(app.db);
    const logs = app.logs().join('\n');
    for (const key of keys) {
      expect(requestsContaining(gh, key)).toEqual([]);
      expect(dump.includes(key)).toBe(false);
      expect(logs.includes(key)).toBe(false);
    }
  });

  it('rescans on check_run rerequested and updates the same check run', async () => {
    const rerequested = webhookExample('check_run', (p) => p.action === 'rerequested' && 'installation' in p);
    rerequested.repository = opened.repository;
    rerequested.installation = opened.installation;
    rerequested.check_run.head_sha = PR.head.sha;
    rerequested.check_run.check_suite.head_sha = PR.head.sha;
    rerequested.check_run.check_suite.pull_requests = [
      {
        number: PR.number,
        url: PR.url,
        id: PR.id,
        head: { ref: PR.head.ref, sha: PR.head.sha, repo: { id: 1, name, url: PR.head.repo!.url } },
        base: { ref: PR.base.ref, sha: PR.base.sha, repo: { id: 1, name, url: PR.base.repo.url } },
      },
    ];
    mockNoConfig(gh);
    gh.api
      .get(`${REPO}/pulls/${PR.number}/files`)
      .query({ per_page: 100 })
      .reply(200, [prFile('README.md', ['ok'])]);
    let completed: Record<string, unknown> = {};
    gh.api
      .patch(`${REPO}/check-runs/7`, (body) => {
        completed = body;
        return true;
      })
      .reply(200, openapiExample('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}'));

    const result = await app.deliver('check_run', rerequested, 'delivery-rerequest-1');

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(completed).toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  it('sends a job GitHub refuses for good (422) to the dead letters at once, without retrying', async () => {
    const synchronize = webhookExample(
      'pull_request',
      (p) => p.action === 'synchronize' && 'installation' in p,
    );
    synchronize.pull_request.head.sha = 'd40867b14bb761a232cd80139fbd4c0d33264243';
    mockNoConfig(gh);
    gh.api
      .get(`${REPO}/pulls/${synchronize.pull_request.number}/files`)
      .query({ per_page: 100 })
      .reply(200, [prFile('README.md', ['ok'])]);
    gh.api.post(`${REPO}/check-runs`).reply(422, { message: 'Validation Failed', documentation_url: 'x' });

    const result = await app.deliver('pull_request', synchronize, 'delivery-pr-dead');

    expect(result).toEqual({ completed: 0, failed: 1 });
    gh.assertDone();
    const { rows } = await app.db.query<{ job_name: string; error: string }>(
      'SELECT job_name, error FROM dead_letters',
    );
    expect(rows).toEqual([{ job_name: 'scan-pull-request', error: expect.stringContaining('422') }]);
  });
});
