import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commitLocation, locationsResponse, orgAlertItem } from '../../test/support/alert-payloads.js';
import { captureLog, type GithubMock, requestsContaining, useGithub } from '../../test/support/github.js';
import type { Octokit } from '../github/types.js';
import type { Database } from '../inventory/database.js';
import { type Backend, openTestDatabase, testBackends } from '../inventory/testing.js';
import type { Queue } from '../queue/boss.js';
import { RetryableError } from '../queue/errors.js';
import { allRules } from '../rules/registry.js';
import { sweepSecretTypes } from './secret-types.js';
import { sweepOrgAlerts } from './sweep.js';

const REPO = { owner: 'octo', name: 'hello', id: 42 };
const ORG_ALERTS = '/orgs/octo/secret-scanning/alerts';
const QUERY = {
  secret_type: sweepSecretTypes(),
  sort: 'updated',
  direction: 'desc',
  per_page: 100,
  after: '',
};
const rule = allRules.find((candidate) => candidate.id === 'groq.api-key')!;
const keys = [rule.sample('sweep-1'), rule.sample('sweep-2')];
const SHA = 'd'.repeat(40);

describe.each(testBackends())('sweepOrgAlerts on %s', (backend: Backend) => {
  let db: Database;
  let gh: GithubMock;
  let octokit: Octokit;
  let log: ReturnType<typeof captureLog>;
  let sent: Array<{ name: string; payload: unknown }>;
  useGithub((mock, kit) => {
    gh = mock;
    octokit = kit as Octokit;
  });

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.query('DELETE FROM credentials');
    await db.query('DELETE FROM alert_sweeps');
    log = captureLog('debug');
    sent = [];
  });

  function deps() {
    const queue = {
      send: async (name: string, payload: unknown) => {
        sent.push({ name, payload });
        return 'job';
      },
    } as unknown as Queue;
    return { db, queue, log: log.logger, rules: allRules, fingerprintKey: 'sweep-test-key' };
  }

  const target = { installationId: 1, org: 'octo', jobId: 'sweep-job' };
  const item = (number: number, secret: string, updatedAt = '2025-02-01T00:00:00Z') =>
    orgAlertItem(REPO, { number, secretType: 'groq_api_key', updatedAt }, secret);
  const locations = (number: number, line: number) =>
    locationsResponse(REPO, number, [commitLocation({ path: 'app.py', line, commitSha: SHA, blobSha: SHA })]);

  it('logs what to grant on a 403 and stops, without retrying', async () => {
    gh.api.get(ORG_ALERTS).query(QUERY).reply(403, { message: 'Resource not accessible by integration' });

    const sweep = await sweepOrgAlerts(deps(), octokit, target);

    expect(sweep).toMatchObject({ status: 'not-permitted', pages: 0 });
    expect(log.lines().join('\n')).toContain('Secret scanning alerts');
    expect(await db.query('SELECT * FROM alert_sweeps')).toEqual({ rows: [] });
  });

  it('throws RetryableError when GitHub fails (5xx)', async () => {
    gh.api.get(ORG_ALERTS).query(QUERY).reply(503, { message: 'Service Unavailable' });

    await expect(sweepOrgAlerts(deps(), octokit, target)).rejects.toBeInstanceOf(RetryableError);
  });

  it('saves no ETag when an alert failed to sync, so the next sweep takes it again; unchanged alerts are skipped', async () => {
    gh.api
      .get(ORG_ALERTS)
      .query(QUERY)
      .reply(200, [item(1, keys[0]!), item(2, keys[1]!)], { etag: '"one"' });
    gh.api
      .get('/repos/octo/hello/secret-scanning/alerts/1/locations')
      .query({ per_page: 100 })
      .reply(200, locations(1, 3));
    gh.api
      .get('/repos/octo/hello/secret-scanning/alerts/2/locations')
      .query({ per_page: 100 })
      .reply(404, { message: 'Not Found' });

    const firstSweep = await sweepOrgAlerts(deps(), octokit, target);

    expect(firstSweep).toMatchObject({ status: 'swept', pages: 1, synced: 1, failed: 1, unchanged: 0 });
    expect(sent.map((job) => job.name)).toEqual(['remediate-credential']);
    expect(await db.query('SELECT * FROM alert_sweeps')).toEqual({ rows: [] });

    gh.api
      .get(ORG_ALERTS)
      .query(QUERY)
      .reply(200, [item(1, keys[0]!), item(2, keys[1]!)], { etag: '"two"' });
    gh.api
      .get('/repos/octo/hello/secret-scanning/alerts/2/locations')
      .query({ per_page: 100 })
      .reply(200, locations(2, 5));

    const secondSweep = await sweepOrgAlerts(deps(), octokit, target);

    expect(secondSweep).toMatchObject({ status: 'swept', synced: 1, failed: 0, unchanged: 1 });
    const { rows } = await db.query('SELECT etag FROM alert_sweeps');
    expect(rows).toEqual([{ etag: '"two"' }]);
    for (const key of keys) expect(requestsContaining(gh, key)).toEqual([]);
    expect(log.lines().join('\n')).not.toContain(keys[0]!);
  });
});
