import nock from 'nock';
import type { Probot } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/inventory/database.js';
import { type Backend, openTestDatabase, testBackends } from '../src/inventory/testing.js';
import { checkUsage } from '../src/jobs/check-usage.js';
import type { JobDeps } from '../src/jobs/deps.js';
import { openai } from '../src/providers/openai/index.js';
import { ALPHABETS, fake } from '../src/rules/examples.js';
import { saveProviderKey } from '../src/usage/store.js';
import {
  captureLog,
  type GithubMock,
  githubMock,
  mockInstallationToken,
  testProbot,
} from './support/github.js';
import { insertIssuedCredential } from './support/issued-credential.js';
import { scheduledJobDeps } from './support/job-deps.js';
import { openapiExample } from './support/openapi.js';
import { adminSecret, type SealedProviders, sealedProviders } from './support/providers.js';

/**
 * The usage check with the real OpenAI adapter: the organisation usage API answered through nock in the
 * shape OpenAI documents (`GET /v1/organization/usage/completions`, hourly buckets of results grouped by
 * `api_key_id`, paged with `next_page`), the comment through the OpenAPI-checked GitHub mock.
 */

const API = 'https://api.openai.com';
const HOUR = 3_600;
/** Seven minutes past noon: the first run reaches back 8 days, to 2025-05-25T12:00Z. */
const NOW = new Date('2025-06-02T12:07:00Z');
const BACKFILL_START = 1748174400;
const SECOND_PAGE_START = 1748779200;
const SPIKE = 1748862000; // 2025-06-02T11:00Z, the last complete hour
const ADMIN_RAW = `sk-admin-${fake('usage.openai.admin', 120, ALPHABETS.base64url)}`;
const QUERY = { bucket_width: '1h', group_by: 'api_key_id', limit: '168' };

/** One documented `organization.usage.completions.result`. */
function result(apiKeyId: string | null, input: number, output: number, requests: number) {
  return {
    object: 'organization.usage.completions.result',
    input_tokens: input,
    output_tokens: output,
    input_cached_tokens: 0,
    input_audio_tokens: 0,
    output_audio_tokens: 0,
    num_model_requests: requests,
    project_id: null,
    user_id: null,
    api_key_id: apiKeyId,
    model: null,
    batch: null,
  };
}

/**
 * Hourly buckets from `from` for `count` hours: the leaked key at 3,000 tokens an hour (180,000 in the
 * spike hour), another key, and usage without a key id; every sixth hour empty, as OpenAI returns hours
 * without use.
 */
function buckets(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const start = from + i * HOUR;
    const results =
      start === SPIKE
        ? [result('key_leaked', 150_000, 30_000, 90), result('key_other', 900, 100, 2)]
        : i % 6 === 5
          ? []
          : [result('key_leaked', 2_000, 1_000, 4), result('key_other', 900, 100, 2), result(null, 5, 5, 1)];
    return { object: 'bucket', start_time: start, end_time: start + HOUR, results };
  });
}

function jobDeps(db: Database, probot: Probot, providers: SealedProviders, log: JobDeps['log']): JobDeps {
  return scheduledJobDeps(db, probot, log, {
    adapters: [openai],
    context: { ...providers.context({ openai: { adminKey: adminSecret(ADMIN_RAW) } }), now: () => NOW },
  });
}

describe.each(testBackends())('usage check with the OpenAI adapter on %s', (backend: Backend) => {
  let db: Database;
  let gh: GithubMock;
  let providers: SealedProviders;
  let log: ReturnType<typeof captureLog>;
  let probot: Probot;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });

  afterAll(() => db.close());

  beforeEach(async () => {
    await db.query('DELETE FROM credentials');
    await db.query('DELETE FROM usage_hours');
    await db.query('DELETE FROM usage_fetches');
    // githubMock() clears every interceptor: it comes first, the provider's interceptors after it.
    gh = githubMock();
    providers = sealedProviders();
    log = captureLog('debug');
    probot = testProbot({ log: log.logger });
    mockInstallationToken(gh, 1);
  });

  afterEach(() => {
    providers.restore();
    gh.restore();
  });

  it('backfills 8 days over two pages and comments on the jump of the leaked key', async () => {
    const id = await insertIssuedCredential(db, {
      name: 'leaked',
      issue: { repo: 'octo/hello', number: 21 },
    });
    await saveProviderKey(db, id, 'openai', { keyId: 'key_leaked', scope: 'proj_abc' });
    nock(API)
      .get('/v1/organization/usage/completions')
      .query({ ...QUERY, start_time: String(BACKFILL_START) })
      .matchHeader('authorization', `Bearer ${ADMIN_RAW}`)
      .reply(200, {
        object: 'page',
        data: buckets(BACKFILL_START, 168),
        has_more: true,
        next_page: 'page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=',
      })
      .get('/v1/organization/usage/completions')
      .query({ ...QUERY, start_time: String(BACKFILL_START), page: 'page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=' })
      .matchHeader('authorization', `Bearer ${ADMIN_RAW}`)
      .reply(200, {
        object: 'page',
        data: buckets(SECOND_PAGE_START, 25),
        has_more: false,
        next_page: null,
      });
    gh.api
      .get('/repos/octo/hello/installation')
      .reply(200, { ...openapiExample('GET', '/repos/{owner}/{repo}/installation'), id: 1 });
    gh.api
      .post('/repos/octo/hello/issues/21/comments')
      .reply(201, openapiExample('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', '201'));

    const check = await checkUsage(jobDeps(db, probot, providers, log.logger));

    providers.done();
    gh.assertDone();
    expect(check.failed).toEqual([]);
    expect(check.anomalies).toEqual([
      { provider: 'openai', keyId: 'key_leaked', hour: new Date(SPIKE * 1000), credentialId: id },
    ]);
    expect(check.reported).toBe(1);
    const posted = gh
      .recordedRequests()
      .filter((r) => r.method === 'POST' && r.path === '/repos/octo/hello/issues/21/comments')
      .map((r) => (JSON.parse(r.body!) as { body: string }).body);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain(
      'Usage jump on openai key `key_leaked`: 180,000 tokens in the hour from 11:00 UTC on 2025-06-02, ' +
        '60× the 7-day hourly median of 3,000 (threshold 5× with a floor of 10,000). ' +
        'If this is not you, revoke now: `/keywarden revoke`.',
    );
    // The admin key went only to OpenAI's usage API, in its authorization header.
    expect(providers.requestsContaining(ADMIN_RAW)).toEqual([
      `GET ${API}/v1/organization/usage/completions?start_time=${BACKFILL_START}&bucket_width=1h&group_by=api_key_id&limit=168`,
      `GET ${API}/v1/organization/usage/completions?start_time=${BACKFILL_START}&bucket_width=1h&group_by=api_key_id&limit=168&page=page_AAAAAGdGxdEiJdKOAAAAAGcqsYA%3D`,
    ]);
    const elsewhere = [...log.lines(), ...gh.recordedRequests().map((r) => `${r.path} ${r.body ?? ''}`)];
    expect(elsewhere.filter((line) => line.includes(ADMIN_RAW))).toEqual([]);
    const { rows } = await db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM events WHERE kind = 'usage:anomaly'",
    );
    expect(rows.map((row) => row.data)).toEqual([
      {
        keyId: 'key_leaked',
        hour: '2025-06-02T11:00:00.000Z',
        observed: 180_000,
        median: 3_000,
        ratio: 60,
        unit: 'tokens',
      },
    ]);
  });

  it('logs an OpenAI failure, comments nothing, and fetches the same hours on the next run', async () => {
    const id = await insertIssuedCredential(db, {
      name: 'leaked',
      issue: { repo: 'octo/hello', number: 22 },
    });
    await saveProviderKey(db, id, 'openai', { keyId: 'key_leaked' });
    nock(API)
      .get('/v1/organization/usage/completions')
      .query({ ...QUERY, start_time: String(BACKFILL_START) })
      .times(2)
      .reply(500, {
        error: { message: 'The server had an error.', type: 'server_error', param: null, code: null },
      });

    const first = await checkUsage(jobDeps(db, probot, providers, log.logger));
    const second = await checkUsage(jobDeps(db, probot, providers, log.logger));

    providers.done();
    gh.assertDone();
    expect([first, second].map((check) => check.failed)).toEqual([['openai'], ['openai']]);
    expect(first.anomalies).toEqual([]);
    expect(gh.recordedRequests()).toEqual([]);
    const failures = log.lines().filter((line) => line.includes('"msg":"usage fetch failed"'));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toContain('500');
    expect(failures.filter((line) => line.includes(ADMIN_RAW))).toEqual([]);
  });
});
