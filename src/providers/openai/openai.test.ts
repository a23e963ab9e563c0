import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminSecret, type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { ALPHABETS, fake } from '../../rules/examples.js';
import { allRules } from '../../rules/registry.js';
import { openai } from './index.js';

const API = 'https://api.openai.com';

function leaked(ruleId: string, seed = 'leak'): { raw: string; secret: Secret } {
  const rule = allRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const raw = rule.sample(seed);
  const prefix = /^sk-(?:proj|svcacct|admin)-|^sk-/.exec(raw)?.[0] ?? '';
  return { raw, secret: new Secret(raw, redact(raw, prefix)) };
}

/** The redacted value OpenAI lists for a key: a visible prefix and suffix around an ellipsis. */
function redactedValue(raw: string): string {
  return `${raw.slice(0, 11)}...${raw.slice(-4)}`;
}

const project = leaked('openai.project-key');
const other = leaked('openai.project-key', 'another');
const adminRaw = `sk-admin-${fake('openai.admin', 120, ALPHABETS.base64url)}`;
const admin = { openai: { adminKey: adminSecret(adminRaw) } };

const errorReply = (message: string, type: string, code: string | null) => ({
  error: { message, type, param: null, code },
});

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

/** Nothing any adapter returned holds a raw value. */
function expectClean(outcome: unknown): void {
  const text = JSON.stringify(outcome);
  for (const raw of [project.raw, other.raw, adminRaw]) expect(text).not.toContain(raw);
}

describe('openai.verify', () => {
  it.each([
    {
      name: '200 with the model list',
      reply: (s: nock.Interceptor) =>
        s.reply(200, {
          object: 'list',
          data: [{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' }],
        }),
      verdict: 'live',
      detail: 'GET api.openai.com/v1/models answered 200: the key works',
    },
    {
      name: '401 invalid_api_key',
      reply: (s: nock.Interceptor) =>
        s.reply(
          401,
          errorReply(
            `Incorrect API key provided: ${project.raw}.`,
            'invalid_request_error',
            'invalid_api_key',
          ),
        ),
      verdict: 'dead',
      detail:
        'GET api.openai.com/v1/models answered 401 invalid_api_key: the key is revoked or never existed',
    },
    {
      name: '401 for missing scopes (the key exists)',
      reply: (s: nock.Interceptor) =>
        s.reply(
          401,
          errorReply(
            'You have insufficient permissions for this operation. Missing scopes: api.model.read.',
            'invalid_request_error',
            null,
          ),
        ),
      verdict: 'unknown',
      detail: 'GET api.openai.com/v1/models answered 401',
    },
    {
      name: '403 from an unsupported region',
      reply: (s: nock.Interceptor) =>
        s.reply(
          403,
          errorReply('Country not supported.', 'request_forbidden', 'unsupported_country_region_territory'),
        ),
      verdict: 'unknown',
      detail: 'GET api.openai.com/v1/models answered 403 (unsupported_country_region_territory)',
    },
    {
      name: '429',
      reply: (s: nock.Interceptor) =>
        s.reply(429, errorReply('Rate limit reached.', 'requests', 'rate_limit_exceeded'), {
          'retry-after': '20',
        }),
      verdict: 'unknown',
      detail: 'GET api.openai.com/v1/models answered 429 (rate_limit_exceeded)',
    },
    {
      name: '500',
      reply: (s: nock.Interceptor) =>
        s.reply(500, errorReply('The server had an error.', 'server_error', null)),
      verdict: 'unknown',
      detail: 'GET api.openai.com/v1/models answered 500',
    },
    {
      name: '400',
      reply: (s: nock.Interceptor) => s.reply(400, errorReply('Bad request.', 'invalid_request_error', null)),
      verdict: 'unknown',
      detail: 'GET api.openai.com/v1/models answered 400',
    },
    {
      name: 'a timeout',
      reply: (s: nock.Interceptor) => s.delay(1_000).reply(200, { object: 'list', data: [] }),
      verdict: 'unknown',
      detail: 'GET api.openai.com/v1/models: no answer in time',
    },
    {
      name: 'malformed JSON',
      reply: (s: nock.Interceptor) =>
        s.reply(200, '{"object": "list", "data": [', { 'content-type': 'application/json' }),
      verdict: 'unknown',
      detail: 'GET api.openai.com/v1/models answered 200 with an unexpected body',
    },
    {
      name: 'a redirect to another host',
      reply: (s: nock.Interceptor) => s.reply(307, '', { location: 'https://collector.example/v1/models' }),
      verdict: 'unknown',
      detail: 'GET api.openai.com/v1/models: redirected to another host (collector.example): not followed',
    },
  ])('$name → $verdict', async ({ reply, verdict, detail }) => {
    reply(nock(API).get('/v1/models').matchHeader('authorization', `Bearer ${project.raw}`));

    const result = await openai.verify(project.secret, 'openai.project-key', providers.context(admin));

    expect(result).toEqual({ verdict, detail });
    expectClean(result);
    expect(providers.requestsContaining(project.raw)).toEqual([`GET ${API}/v1/models`]);
    expect(providers.requestsContaining(adminRaw)).toEqual([]);
    providers.done();
  });

  it('checks an admin key against the Admin API', async () => {
    const leakedAdmin = leaked('openai.admin-key');
    nock(API)
      .get('/v1/organization/projects')
      .query({ limit: '1' })
      .reply(401, errorReply('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));

    const result = await openai.verify(leakedAdmin.secret, 'openai.admin-key', providers.context());

    expect(result.verdict).toBe('dead');
    expect(providers.requestsContaining(leakedAdmin.raw)).toEqual([
      `GET ${API}/v1/organization/projects?limit=1`,
    ]);
    providers.done();
  });
});

/** Mocks the project listing: `pages` of project ids, paged with `after`. */
function mockProjects(pages: string[][]): void {
  pages.forEach((ids, index) => {
    const query: Record<string, string> = { limit: '100' };
    const previous = pages[index - 1];
    if (previous) query.after = previous.at(-1) ?? '';
    nock(API)
      .get('/v1/organization/projects')
      .query(query)
      .matchHeader('authorization', `Bearer ${adminRaw}`)
      .reply(200, {
        object: 'list',
        data: ids.map((id) => ({
          id,
          object: 'organization.project',
          name: `Project ${id}`,
          created_at: 1711471533,
          archived_at: null,
          status: 'active',
        })),
        first_id: ids[0],
        last_id: ids.at(-1),
        has_more: index < pages.length - 1,
      });
  });
}

/** Mocks one project's key listing: `pages` of `[key id, redacted value]`. */
function mockKeys(projectId: string, pages: [string, string][][]): void {
  pages.forEach((keys, index) => {
    const query: Record<string, string> = { limit: '100' };
    const previous = pages[index - 1];
    if (previous) query.after = previous.at(-1)?.[0] ?? '';
    nock(API)
      .get(`/v1/organization/projects/${projectId}/api_keys`)
      .query(query)
      .matchHeader('authorization', `Bearer ${adminRaw}`)
      .reply(200, {
        object: 'list',
        data: keys.map(([id, redacted]) => ({
          object: 'organization.project.api_key',
          redacted_value: redacted,
          name: `Key ${id}`,
          created_at: 1711471533,
          last_used_at: 1711471534,
          id,
          owner: {
            type: 'user',
            user: { object: 'organization.project.user', id: 'user_abc', name: 'First Last' },
          },
        })),
        first_id: keys[0]?.[0],
        last_id: keys.at(-1)?.[0],
        has_more: index < pages.length - 1,
      });
  });
}

/** Two pages of projects; the leaked key on the second page of proj_b's keys. */
function mockOrganisation(extra: [string, string][] = []): void {
  mockProjects([['proj_a'], ['proj_b']]);
  mockKeys('proj_a', [[['key_a1', redactedValue(other.raw)], ...extra]]);
  mockKeys('proj_b', [[['key_b1', redactedValue(other.raw)]], [['key_b2', redactedValue(project.raw)]]]);
}

describe('openai.revoke', () => {
  it('plans the deletion in a dry run without deleting, after paging every listing', async () => {
    mockOrganisation();

    const outcome = await openai.revoke?.(project.secret, 'openai.project-key', providers.context(admin), {
      dryRun: true,
    });

    expect(outcome).toEqual({
      kind: 'planned',
      detail: 'would delete OpenAI key key_b2 in project proj_b',
      keyId: 'key_b2',
    });
    expect(providers.requests().map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'GET', 'GET']);
    expect(providers.requestsContaining(project.raw)).toEqual([]);
    expect(providers.requestsContaining(adminRaw)).toHaveLength(5);
    providers.done();
  });

  it('deletes the one matching key', async () => {
    mockOrganisation();
    nock(API)
      .delete('/v1/organization/projects/proj_b/api_keys/key_b2')
      .matchHeader('authorization', `Bearer ${adminRaw}`)
      .reply(200, { object: 'organization.project.api_key.deleted', id: 'key_b2', deleted: true });

    const outcome = await openai.revoke?.(
      project.secret,
      'openai.service-account-key',
      providers.context(admin),
      {
        dryRun: false,
      },
    );

    expect(outcome).toEqual({
      kind: 'revoked',
      detail: 'deleted OpenAI key key_b2 in project proj_b',
      keyId: 'key_b2',
    });
    expect(providers.requestsContaining(project.raw)).toEqual([]);
    expect(providers.requests().every((r) => r.origin === API)).toBe(true);
    providers.done();
  });

  it.each([
    {
      name: 'no key matches',
      mock: () => {
        mockProjects([['proj_a']]);
        mockKeys('proj_a', [[['key_a1', redactedValue(other.raw)]]]);
      },
      outcome: {
        kind: 'refused',
        detail:
          'no key in the OpenAI organisation of the admin key matches this key: it belongs to another organisation, or was already deleted',
      },
    },
    {
      name: 'two keys share its prefix and suffix',
      mock: () => mockOrganisation([['key_a2', redactedValue(project.raw)]]),
      outcome: {
        kind: 'refused',
        detail:
          "2 keys in the OpenAI organisation match this key's visible prefix and suffix: ambiguous, nothing deleted",
      },
    },
    {
      name: 'the project listing is rate limited',
      mock: () =>
        nock(API)
          .get('/v1/organization/projects')
          .query({ limit: '100' })
          .reply(429, errorReply('Rate limit reached.', 'requests', 'rate_limit_exceeded')),
      outcome: {
        kind: 'failed',
        detail: 'listing OpenAI project keys: GET api.openai.com/v1/organization/projects answered 429',
      },
    },
    {
      name: 'a key listing times out on its second page',
      mock: () => {
        mockProjects([['proj_a']]);
        nock(API)
          .get('/v1/organization/projects/proj_a/api_keys')
          .query({ limit: '100' })
          .reply(200, {
            object: 'list',
            data: [{ id: 'key_a1', redacted_value: redactedValue(other.raw) }],
            first_id: 'key_a1',
            last_id: 'key_a1',
            has_more: true,
          })
          .get('/v1/organization/projects/proj_a/api_keys')
          .query({ limit: '100', after: 'key_a1' })
          .delay(1_000)
          .reply(200, {});
      },
      outcome: {
        kind: 'failed',
        detail:
          'listing OpenAI project keys: GET api.openai.com/v1/organization/projects/proj_a/api_keys: no answer in time',
      },
    },
    {
      name: 'the admin key is refused',
      mock: () =>
        nock(API)
          .get('/v1/organization/projects')
          .query({ limit: '100' })
          .reply(401, errorReply('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key')),
      outcome: {
        kind: 'refused',
        detail:
          'listing OpenAI project keys: GET api.openai.com/v1/organization/projects answered 401: the admin key was not accepted',
      },
    },
    {
      name: 'the delete fails with a 500',
      mock: () => {
        mockOrganisation();
        nock(API)
          .delete('/v1/organization/projects/proj_b/api_keys/key_b2')
          .reply(500, errorReply('The server had an error.', 'server_error', null));
      },
      outcome: {
        kind: 'failed',
        detail:
          'deleting OpenAI key key_b2 in project proj_b: DELETE api.openai.com/v1/organization/projects/proj_b/api_keys/key_b2 answered 500',
      },
    },
    {
      name: 'the key is gone by the time of the delete',
      mock: () => {
        mockOrganisation();
        nock(API)
          .delete('/v1/organization/projects/proj_b/api_keys/key_b2')
          .reply(404, errorReply('No such API key.', 'invalid_request_error', null));
      },
      outcome: {
        kind: 'revoked',
        keyId: 'key_b2',
        detail:
          'OpenAI key key_b2 in project proj_b was already gone (DELETE api.openai.com/v1/organization/projects/proj_b/api_keys/key_b2 answered 404)',
      },
    },
  ])('$name → $outcome.kind', async ({ mock, outcome }) => {
    mock();

    const result = await openai.revoke?.(project.secret, 'openai.project-key', providers.context(admin), {
      dryRun: false,
    });

    expect(result).toEqual(outcome);
    expectClean(result);
    expect(providers.requestsContaining(project.raw)).toEqual([]);
    providers.done();
  });

  it.each([
    {
      ruleId: 'openai.project-key',
      admin: {},
      detail: /^no OpenAI admin key is configured: set KEYWARDEN_OPENAI_ADMIN_KEY/,
    },
    {
      ruleId: 'openai.legacy-key',
      admin,
      detail: /^OpenAI user keys \(legacy\) .* https:\/\/platform\.openai\.com\/api-keys$/,
    },
    { ruleId: 'openai.admin-key', admin, detail: /admin-keys$/ },
  ])(
    'refuses $ruleId without a request when it cannot act',
    async ({ ruleId, admin: configured, detail }) => {
      const result = await openai.revoke?.(project.secret, ruleId, providers.context(configured), {
        dryRun: false,
      });

      expect(result?.kind).toBe('refused');
      expect(result?.detail).toMatch(detail);
      expect(providers.requests()).toEqual([]);
    },
  );
});

describe('openai.identify', () => {
  it('names the key and its project when exactly one matches', async () => {
    mockOrganisation();

    const identity = await openai.identify?.(project.secret, 'openai.project-key', providers.context(admin));

    expect(identity).toEqual({ keyId: 'key_b2', scope: 'proj_b' });
    expect(providers.requestsContaining(project.raw)).toEqual([]);
    providers.done();
  });

  it('names nothing without an admin key', async () => {
    expect(
      await openai.identify?.(project.secret, 'openai.project-key', providers.context()),
    ).toBeUndefined();
    expect(providers.requests()).toEqual([]);
  });
});

describe('openai.usage', () => {
  const since = new Date('2025-06-01T00:00:00Z');
  const start = String(since.getTime() / 1000);
  const bucket = (startTime: number, results: Record<string, unknown>[]) => ({
    object: 'bucket',
    start_time: startTime,
    end_time: startTime + 3600,
    results: results.map((r) => ({
      object: 'organization.usage.completions.result',
      input_tokens: 0,
      output_tokens: 0,
      input_cached_tokens: 0,
      input_audio_tokens: 0,
      output_audio_tokens: 0,
      num_model_requests: 0,
      project_id: null,
      user_id: null,
      api_key_id: null,
      model: null,
      batch: null,
      ...r,
    })),
  });

  it('collects hourly buckets per key over two pages, skipping results without a key', async () => {
    const query = { start_time: start, bucket_width: '1h', group_by: 'api_key_id', limit: '168' };
    nock(API)
      .get('/v1/organization/usage/completions')
      .query(query)
      .matchHeader('authorization', `Bearer ${adminRaw}`)
      .reply(200, {
        object: 'page',
        data: [
          bucket(1748736000, [
            { api_key_id: 'key_a1', input_tokens: 1000, output_tokens: 500, num_model_requests: 5 },
            { api_key_id: null, input_tokens: 7, output_tokens: 7, num_model_requests: 1 },
          ]),
        ],
        has_more: true,
        next_page: 'page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=',
      })
      .get('/v1/organization/usage/completions')
      .query({ ...query, page: 'page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=' })
      .reply(200, {
        object: 'page',
        data: [
          bucket(1748739600, [
            { api_key_id: 'key_b2', input_tokens: 20, output_tokens: 22, num_model_requests: 2 },
          ]),
        ],
        has_more: false,
        next_page: null,
      });

    const buckets = await openai.usage?.(since, providers.context(admin));

    expect(buckets).toEqual([
      { keyId: 'key_a1', hour: new Date('2025-06-01T00:00:00Z'), requests: 5, tokens: 1500 },
      { keyId: 'key_b2', hour: new Date('2025-06-01T01:00:00Z'), requests: 2, tokens: 42 },
    ]);
    providers.done();
  });

  it('throws an error naming the request and status when the usage API fails', async () => {
    nock(API)
      .get('/v1/organization/usage/completions')
      .query(true)
      .reply(503, errorReply('Service unavailable.', 'server_error', null));

    await expect(openai.usage?.(since, providers.context(admin))).rejects.toThrow(
      'OpenAI usage: GET api.openai.com/v1/organization/usage/completions answered 503',
    );
    providers.done();
  });

  it('reports nothing without an admin key', async () => {
    expect(await openai.usage?.(since, providers.context())).toEqual([]);
    expect(providers.requests()).toEqual([]);
  });
});
