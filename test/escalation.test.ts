import type { Probot } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/inventory/database.js';
import { type Backend, openTestDatabase, testBackends } from '../src/inventory/testing.js';
import type { JobDeps } from '../src/jobs/deps.js';
import { escalateOverdue } from '../src/jobs/escalate.js';
import {
  captureLog,
  type GithubMock,
  githubMock,
  mockInstallationToken,
  testProbot,
} from './support/github.js';
import { insertIssuedCredential, setNotifiedAgo } from './support/issued-credential.js';
import { scheduledJobDeps } from './support/job-deps.js';
import { openapiExample } from './support/openapi.js';

/**
 * The SLA sweep against a sealed, OpenAPI-checked GitHub, on each database backend. Time is moved by
 * writing notification timestamps in the past; the sweep measures age with the database's clock.
 */

const CONFIG = 'issues:\n  securityTeam: "@octo/security"\nsla:\n  high: 12h\n';
const CONFIG_FILE = '/repos/octo/hello/contents/.github%2Fkeywarden.yml';
const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };

function jobDeps(db: Database, probot: Probot, log: ReturnType<typeof captureLog>['logger']): JobDeps {
  return scheduledJobDeps(db, probot, log);
}

/** What a sweep reads per issue repository, `times` sweeps over: its installation and its config. */
function repositoryReads(gh: GithubMock, times: number, config: string | null = CONFIG): void {
  gh.api
    .get('/repos/octo/hello/installation')
    .times(times)
    .reply(200, { ...openapiExample('GET', '/repos/{owner}/{repo}/installation'), id: 1 });
  if (config === null) {
    gh.api.get(CONFIG_FILE).times(times).reply(404, NOT_FOUND);
    gh.api.get('/repos/octo/.github/contents/.github%2Fkeywarden.yml').times(times).reply(404, NOT_FOUND);
  } else {
    gh.api.get(CONFIG_FILE).times(times).reply(200, config, { 'content-type': 'text/plain; charset=utf-8' });
  }
}

function expectLabel(gh: GithubMock, issue: number): void {
  gh.api
    .post(`/repos/octo/hello/issues/${issue}/labels`, { labels: ['overdue'] })
    .reply(200, openapiExample('POST', '/repos/{owner}/{repo}/issues/{issue_number}/labels'));
}

function expectComment(gh: GithubMock, issue: number, status = 201): void {
  const reply =
    status === 201
      ? openapiExample('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', '201')
      : { message: 'Bad Gateway' };
  gh.api.post(`/repos/octo/hello/issues/${issue}/comments`).reply(status, reply);
}

/** The bodies of the comments posted on `issue`, in order. */
function comments(gh: GithubMock, issue: number): string[] {
  return gh
    .recordedRequests()
    .filter((r) => r.method === 'POST' && r.path === `/repos/octo/hello/issues/${issue}/comments`)
    .map((r) => (JSON.parse(r.body!) as { body: string }).body);
}

function writes(gh: GithubMock): string[] {
  return gh
    .recordedRequests()
    .filter((r) => r.method === 'POST' && r.path.startsWith('/repos/'))
    .map((r) => r.path);
}

async function steps(db: Database): Promise<Array<[number, number]>> {
  const { rows } = await db.query<{ credential_id: string | number; step: number }>(
    'SELECT credential_id, step FROM escalations ORDER BY credential_id, step',
  );
  return rows.map((row) => [Number(row.credential_id), Number(row.step)]);
}

describe.each(testBackends())('SLA escalation on %s', (backend: Backend) => {
  let db: Database;
  let gh: GithubMock;
  let log: ReturnType<typeof captureLog>;
  let deps: JobDeps;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });

  afterAll(() => db.close());

  beforeEach(async () => {
    await db.query('DELETE FROM credentials');
    gh = githubMock();
    log = captureLog('debug');
    deps = jobDeps(db, testProbot({ log: log.logger }), log.logger);
    mockInstallationToken(gh, 1);
  });

  afterEach(() => gh.restore());

  it('comments and labels at the deadline, once more at twice the deadline, and never again', async () => {
    const id = await insertIssuedCredential(db, {
      name: 'late',
      issue: { repo: 'octo/hello', number: 7 },
      notifiedAgo: '11 hours',
    });
    repositoryReads(gh, 4);
    expectLabel(gh, 7);
    expectComment(gh, 7);
    expectLabel(gh, 7);
    expectComment(gh, 7);

    const early = await escalateOverdue(deps);
    await setNotifiedAgo(db, id, '13 hours');
    const first = await escalateOverdue(deps);
    const repeated = await escalateOverdue(deps);
    await setNotifiedAgo(db, id, '25 hours');
    const second = await escalateOverdue(deps);
    await setNotifiedAgo(db, id, '100 days');
    const later = await escalateOverdue(deps);

    gh.assertDone();
    expect([early, first, repeated, second, later].map((s) => s.escalated)).toEqual([
      [],
      [{ credentialId: id, step: 1 }],
      [],
      [{ credentialId: id, step: 2 }],
      [],
    ]);
    const [step1, step2] = comments(gh, 7);
    expect(step1).toContain('### Overdue');
    expect(step1).toContain('This high credential has been open for 13 hours, past its deadline of 12h');
    expect(step1).toContain('`sla.high` in `.github/keywarden.yml`');
    expect(step1).toContain('@octo/security, this needs your attention.');
    expect(step2).toContain('### Escalated: twice the deadline');
    expect(step2).toContain('open for 1 day 1 hour, more than twice its deadline of 12h');
    expect(step2).toContain('@octo/security: this needs action now.');
    expect(await steps(db)).toEqual([
      [id, 1],
      [id, 2],
    ]);
    const { rows: events } = await db.query<{ kind: string; actor: string; data: { step: number } }>(
      "SELECT kind, actor, data FROM events WHERE credential_id = $1 AND kind = 'escalated' ORDER BY id",
      [id],
    );
    expect(events.map((e) => [e.kind, e.actor, e.data.step])).toEqual([
      ['escalated', 'keywarden', 1],
      ['escalated', 'keywarden', 2],
    ]);
  });

  it('acts once per step when two replicas sweep at the same moment', async () => {
    const one = await insertIssuedCredential(db, {
      name: 'one',
      issue: { repo: 'octo/hello', number: 7 },
      notifiedAgo: '13 hours',
    });
    const both = await insertIssuedCredential(db, {
      name: 'both',
      issue: { repo: 'octo/hello', number: 8 },
      notifiedAgo: '30 hours',
    });
    const replica = jobDeps(db, testProbot({ log: log.logger }), log.logger);
    mockInstallationToken(gh, 1);
    repositoryReads(gh, 2);
    expectLabel(gh, 7);
    expectComment(gh, 7);
    expectLabel(gh, 8);
    expectComment(gh, 8);

    const sweeps = await Promise.all([escalateOverdue(deps), escalateOverdue(replica)]);

    gh.assertDone();
    expect(
      sweeps.flatMap((s) => s.escalated).sort((a, b) => a.credentialId - b.credentialId || a.step - b.step),
    ).toEqual([
      { credentialId: one, step: 1 },
      { credentialId: both, step: 1 },
      { credentialId: both, step: 2 },
    ]);
    expect(writes(gh).sort()).toEqual([
      '/repos/octo/hello/issues/7/comments',
      '/repos/octo/hello/issues/7/labels',
      '/repos/octo/hello/issues/8/comments',
      '/repos/octo/hello/issues/8/labels',
    ]);
    // Seen first at more than twice its deadline: one comment, the stronger one.
    expect(comments(gh, 8)).toHaveLength(1);
    expect(comments(gh, 8)[0]).toContain('### Escalated: twice the deadline');
    expect(await steps(db)).toEqual([
      [one, 1],
      [both, 1],
      [both, 2],
    ]);
  });

  it('leaves resolved credentials and credentials without an issue alone', async () => {
    for (const state of ['false-positive', 'test-credential', 'revoked', 'rotated', 'closed'])
      await insertIssuedCredential(db, { name: state, state, notifiedAgo: '100 days' });
    await insertIssuedCredential(db, {
      name: 'no issue',
      state: 'detected',
      issue: null,
      notifiedAgo: '100 days',
    });

    const sweep = await escalateOverdue(deps);

    gh.assertDone();
    expect(sweep).toEqual({ escalated: [], skipped: 0, failed: 0 });
    expect(gh.recordedRequests()).toEqual([]);
    expect(await steps(db)).toEqual([]);
  });

  it('gives a step back when its comment fails, so the next sweep escalates; defaults apply without config', async () => {
    const id = await insertIssuedCredential(db, {
      name: 'flaky',
      issue: { repo: 'octo/hello', number: 9 },
      notifiedAgo: '25 hours',
    });
    repositoryReads(gh, 2, null);
    expectLabel(gh, 9);
    expectComment(gh, 9, 502);
    expectLabel(gh, 9);
    expectComment(gh, 9);

    const failed = await escalateOverdue(deps);
    const stepsAfterFailure = await steps(db);
    const retried = await escalateOverdue(deps);

    gh.assertDone();
    expect(failed).toEqual({ escalated: [], skipped: 0, failed: 1 });
    expect(stepsAfterFailure).toEqual([]);
    expect(
      log.lines().some((line) => line.includes('"msg":"escalation failed"') && line.includes('"status":502')),
    ).toBe(true);
    expect(retried).toEqual({ escalated: [{ credentialId: id, step: 1 }], skipped: 0, failed: 0 });
    const posted = comments(gh, 9);
    expect(posted).toHaveLength(2);
    // The default deadline for high is 24h.
    expect(posted[1]).toContain('past its deadline of 24h');
    expect(posted[1]).toContain('No security team is configured');
    expect(await steps(db)).toEqual([[id, 1]]);
  });

  it('skips the issues of a repository the App is not installed on', async () => {
    await insertIssuedCredential(db, { name: 'orphan', notifiedAgo: '100 days' });
    gh.api.get('/repos/octo/hello/installation').reply(404, NOT_FOUND);

    const sweep = await escalateOverdue(deps);

    gh.assertDone();
    expect(sweep).toEqual({ escalated: [], skipped: 1, failed: 0 });
    expect(await steps(db)).toEqual([]);
  });
});
