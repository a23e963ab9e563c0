import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  alertResponse,
  commitLocation,
  issueCommentLocation,
  locationsResponse,
  orgAlertItem,
  updatedAlertResponse,
} from '../../test/support/alert-payloads.js';
import { type GithubMock, requestsContaining, useGithub } from '../../test/support/github.js';
import { allRules } from '../rules/registry.js';
import {
  getAlert,
  listAlertLocations,
  listOrgAlertsPage,
  nextPage,
  parseAlert,
  resolveAlert,
} from './secret-scanning.js';
import type { Octokit } from './types.js';

const REPO = { owner: 'octo', name: 'hello', id: 42 };
const repo = { owner: 'octo', repo: 'hello' };
const ALERTS = '/repos/octo/hello/secret-scanning/alerts';
const key = allRules.find((rule) => rule.id === 'anthropic.api-key')!.sample('secret-scanning-test');

describe('secret scanning requests', () => {
  let gh: GithubMock;
  let octokit: Octokit;
  useGithub((mock, kit) => {
    gh = mock;
    octokit = kit as Octokit;
  });

  it('reads an alert: facts parsed, the secret only as a Secret that prints redacted', async () => {
    gh.api.get(`${ALERTS}/7`).reply(
      200,
      alertResponse(
        REPO,
        {
          number: 7,
          secretType: 'anthropic_api_key',
          state: 'resolved',
          resolution: 'used_in_tests',
          resolvedBy: 'octocat',
          pushProtectionBypassedBy: 'mallory',
          publiclyLeaked: true,
          validity: 'inactive',
          createdAt: '2025-01-01T00:00:00Z',
          updatedAt: '2025-01-02T00:00:00Z',
        },
        key,
      ),
    );

    const alert = await getAlert(octokit, repo, 7);

    expect(alert).toMatchObject({
      number: 7,
      secretType: 'anthropic_api_key',
      state: 'resolved',
      resolution: 'used_in_tests',
      resolvedBy: 'octocat',
      pushProtectionBypassed: true,
      pushProtectionBypassedBy: 'mallory',
      publiclyLeaked: true,
      validity: 'inactive',
      htmlUrl: 'https://github.com/octo/hello/security/secret-scanning/7',
      updatedAt: '2025-01-02T00:00:00Z',
    });
    expect(alert!.secret!.reveal()).toBe(key);
    expect(JSON.stringify(alert)).not.toContain(key);
    expect(inspect(alert)).not.toContain(key);
    expect(`${alert!.secret}`).toBe(`…${key.slice(-4)}`);
  });

  it('answers undefined for an alert GitHub no longer has (404)', async () => {
    gh.api.get(`${ALERTS}/8`).reply(404, { message: 'Not Found' });

    expect(await getAlert(octokit, repo, 8)).toBeUndefined();
  });

  it('pages an organisation by cursor, newest changes first, with the ETag and the next cursor', async () => {
    const item = orgAlertItem(REPO, { number: 3, secretType: 'openai_api_key' }, key);
    gh.api
      .get('/orgs/octo/secret-scanning/alerts')
      .query({
        secret_type: 'a_key,b_key',
        sort: 'updated',
        direction: 'desc',
        per_page: 100,
        after: '',
      })
      .reply(200, [item], {
        etag: 'W/"abc"',
        link: '<https://api.github.com/orgs/octo/secret-scanning/alerts?per_page=100&after=Y3Vyc29y>; rel="next"',
      });

    const page = await listOrgAlertsPage(octokit, 'octo', { secretTypes: 'a_key,b_key' });

    expect(page).toMatchObject({
      notModified: false,
      etag: 'W/"abc"',
      next: { after: 'Y3Vyc29y' },
      alerts: [{ number: 3, repository: { id: 42, owner: 'octo', name: 'hello' } }],
    });
  });

  it('sends If-None-Match and reports a 304 as not modified', async () => {
    gh.api
      .get('/orgs/octo/secret-scanning/alerts')
      .query(true)
      .matchHeader('if-none-match', 'W/"abc"')
      .reply(304);

    const page = await listOrgAlertsPage(octokit, 'octo', {
      secretTypes: 'a_key',
      next: { after: 'Y3Vyc29y' },
      etag: 'W/"abc"',
    });

    expect(page).toEqual({ notModified: true });
    expect(gh.recordedRequests()[1]!.path).toContain('after=Y3Vyc29y');
  });

  it('reads every page of an alert’s locations: commits and places outside the code', async () => {
    const first = Array.from({ length: 100 }, (_, i) =>
      commitLocation({
        path: `/src/file-${i}.py`,
        line: i + 1,
        commitSha: 'a'.repeat(40),
        blobSha: 'b'.repeat(40),
      }),
    );
    gh.api
      .get(`${ALERTS}/3/locations`)
      .query({ per_page: 100 })
      .reply(200, locationsResponse(REPO, 3, first), {
        link: `<https://api.github.com${ALERTS}/3/locations?per_page=100&page=2>; rel="next"`,
      });
    gh.api
      .get(`${ALERTS}/3/locations`)
      .query({ per_page: 100, page: 2 })
      .reply(200, locationsResponse(REPO, 3, [issueCommentLocation(REPO, 11, 4)]));

    const locations = await listAlertLocations(octokit, repo, 3);

    expect(locations).toHaveLength(101);
    expect(locations[0]).toEqual({
      kind: 'commit',
      path: 'src/file-0.py',
      startLine: 1,
      startColumn: 1,
      blobSha: 'b'.repeat(40),
      commitSha: 'a'.repeat(40),
    });
    expect(locations[100]).toEqual({
      kind: 'issue_comment',
      url: 'https://github.com/octo/hello/issues/4#issuecomment-11',
    });
  });

  it('resolves an alert with a resolution and a comment', async () => {
    let sent: unknown;
    gh.api
      .patch(`${ALERTS}/3`, (body) => {
        sent = body;
        return true;
      })
      .reply(
        200,
        updatedAlertResponse(
          REPO,
          { number: 3, secretType: 'openai_api_key', state: 'resolved', resolution: 'revoked' },
          key,
        ),
      );

    const alert = await resolveAlert(
      octokit,
      repo,
      3,
      'revoked',
      'keywarden: https://github.com/octo/hello/issues/1',
    );

    expect(sent).toEqual({
      state: 'resolved',
      resolution: 'revoked',
      resolution_comment: 'keywarden: https://github.com/octo/hello/issues/1',
    });
    expect(alert).toMatchObject({ state: 'resolved', resolution: 'revoked' });
    expect(requestsContaining(gh, key)).toEqual([]);
  });
});

describe('nextPage', () => {
  it.each([
    [undefined, undefined],
    [
      '<https://api.github.com/x?after=abc>; rel="next", <https://api.github.com/x?before=z>; rel="prev"',
      { after: 'abc' },
    ],
    ['<https://api.github.com/x?before=z>; rel="prev"', undefined],
    ['<https://api.github.com/x?page=3&per_page=100>; rel="next"', { page: 3 }],
  ])('%s → %j', (link, expected) => {
    expect(nextPage(link)).toEqual(expected);
  });
});

describe('parseAlert', () => {
  it('reads a webhook alert, which carries no secret', () => {
    const { secret: _secret, ...webhook } = alertResponse(
      REPO,
      { number: 2, secretType: 'xai_api_key' },
      key,
    );

    expect(parseAlert(webhook)).not.toHaveProperty('secret');
  });
});
