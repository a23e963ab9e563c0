import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertResponse, updatedAlertResponse } from '../../test/support/alert-payloads.js';
import { type GithubMock, useGithub } from '../../test/support/github.js';
import { parseAlert } from '../github/secret-scanning.js';
import type { Octokit } from '../github/types.js';
import type { Database } from '../inventory/database.js';
import { type Backend, openTestDatabase, testBackends } from '../inventory/testing.js';
import { RetryableError } from '../queue/errors.js';
import { allRules } from '../rules/registry.js';
import { resolveAlertsFor, unresolvedAlertLines } from './resolve.js';
import { saveAlert } from './store.js';

const REPO = { owner: 'octo', name: 'hello', id: 42 };
const ALERTS = '/repos/octo/hello/secret-scanning/alerts';
const ISSUE = 'https://github.com/octo/hello/issues/9';
const key = allRules.find((rule) => rule.id === 'openai.project-key')!.sample('resolve-test');

describe.each(testBackends())('resolveAlertsFor on %s', (backend: Backend) => {
  let db: Database;
  let gh: GithubMock;
  let octokit: Octokit;
  let credentialId: number;
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
    const { rows } = await db.query<{ id: unknown }>(
      `INSERT INTO credentials (fingerprint, provider, rule_id, class, severity, redacted)
       VALUES ($1, 'openai', 'openai.project-key', 'model-api', 'high', 'sk-proj-…ab12') RETURNING id`,
      ['e'.repeat(64)],
    );
    credentialId = Number(rows[0]!.id);
  });

  async function stored(number: number, state: 'open' | 'resolved' = 'open'): Promise<void> {
    const alert = parseAlert(alertResponse(REPO, { number, secretType: 'openai_api_key', state }, key));
    delete alert.secret;
    await db.transaction((tx) =>
      saveAlert(tx, credentialId, { installationId: 1, repoId: REPO.id, repo: 'octo/hello' }, alert),
    );
  }

  function resolved(number: number) {
    return updatedAlertResponse(
      REPO,
      { number, secretType: 'openai_api_key', state: 'resolved', resolution: 'revoked' },
      key,
    );
  }

  async function events(): Promise<Array<{ kind: string; number: unknown; status: unknown }>> {
    const { rows } = await db.query<{ kind: string; data: Record<string, unknown> }>(
      `SELECT kind, data FROM events WHERE credential_id = $1 ORDER BY id`,
      [credentialId],
    );
    return rows.map((row) => ({ kind: row.kind, number: row.data['number'], status: row.data['status'] }));
  }

  it('resolves each open alert; 403, 404 and 422 are recorded and returned, never thrown', async () => {
    for (const number of [1, 2, 3, 4]) await stored(number);
    await stored(5, 'resolved');
    const sent: unknown[] = [];
    const capture = (body: unknown) => {
      sent.push(body);
      return true;
    };
    gh.api.patch(`${ALERTS}/1`, capture).reply(200, resolved(1));
    gh.api.patch(`${ALERTS}/2`, capture).reply(403, { message: 'Resource not accessible by integration' });
    gh.api.patch(`${ALERTS}/3`, capture).reply(404, { message: 'Not Found' });
    gh.api.patch(`${ALERTS}/4`, capture).reply(422, { message: 'Validation Failed' });

    const outcomes = await resolveAlertsFor(async () => octokit, db, credentialId, 'revoked', ISSUE);

    expect(outcomes.map((o) => [o.number, o.outcome, o.status])).toEqual([
      [1, 'resolved', undefined],
      [2, 'refused', 403],
      [3, 'failed', 404],
      [4, 'failed', 422],
    ]);
    expect(sent).toEqual(
      Array(4).fill({ state: 'resolved', resolution: 'revoked', resolution_comment: `keywarden: ${ISSUE}` }),
    );
    expect(await events()).toEqual([
      { kind: 'alert:resolved-by-keywarden', number: 1, status: undefined },
      { kind: 'alert:resolve-refused', number: 2, status: 403 },
      { kind: 'alert:resolve-failed', number: 3, status: 404 },
      { kind: 'alert:resolve-failed', number: 4, status: 422 },
    ]);
    const lines = unresolvedAlertLines(outcomes);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('[#2](https://github.com/octo/hello/security/secret-scanning/2)');
    expect(lines[0]).toContain('GitHub answered 403: delegated alert dismissal');
    expect(lines[1]).toContain('GitHub answered 404');
  });

  it('throws RetryableError on a 5xx; the retry resolves only what is still open', async () => {
    await stored(1);
    await stored(2);
    gh.api.patch(`${ALERTS}/1`).reply(200, resolved(1));
    gh.api.patch(`${ALERTS}/2`).reply(502, { message: 'Bad Gateway' });
    gh.api.patch(`${ALERTS}/2`).reply(200, resolved(2));

    const failing = resolveAlertsFor(async () => octokit, db, credentialId, 'revoked', ISSUE);
    await expect(failing).rejects.toBeInstanceOf(RetryableError);
    const retried = await resolveAlertsFor(async () => octokit, db, credentialId, 'revoked', ISSUE);

    expect(retried.map((o) => [o.number, o.outcome])).toEqual([[2, 'resolved']]);
  });

  it('asks GitHub nothing when the credential has no open alert', async () => {
    await stored(5, 'resolved');

    expect(await resolveAlertsFor(async () => octokit, db, credentialId, 'used_in_tests', ISSUE)).toEqual([]);
    expect(gh.recordedRequests()).toEqual([]);
  });
});
