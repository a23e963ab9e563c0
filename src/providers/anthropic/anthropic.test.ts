import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminSecret, type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { ALPHABETS, fake } from '../../rules/examples.js';
import { allRules } from '../../rules/registry.js';
import { anthropic } from './index.js';

const API = 'https://api.anthropic.com';

function leaked(ruleId: string, seed = 'leak'): { raw: string; secret: Secret } {
  const rule = allRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const raw = rule.sample(seed);
  const prefix = /^sk-ant-[a-z]+\d\d-/.exec(raw)?.[0] ?? '';
  return { raw, secret: new Secret(raw, redact(raw, prefix)) };
}

/** Anthropic's `partial_key_hint`: the kind prefix and three characters, an ellipsis, the last four. */
function hint(raw: string): string {
  return `${raw.slice(0, 16)}...${raw.slice(-4)}`;
}

const key = leaked('anthropic.api-key');
const other = leaked('anthropic.api-key', 'another');
const adminRaw = `sk-ant-admin01-${fake('anthropic.admin', 93, ALPHABETS.base64url)}AA`;
const admin = { anthropic: { adminKey: adminSecret(adminRaw) } };

const errorReply = (type: string, message: string) => ({
  type: 'error',
  error: { type, message },
  request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy',
});

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

function expectClean(outcome: unknown): void {
  const text = JSON.stringify(outcome);
  for (const raw of [key.raw, other.raw, adminRaw]) expect(text).not.toContain(raw);
}

describe('anthropic.verify', () => {
  it.each([
    {
      name: '200 with the model list',
      reply: (s: nock.Interceptor) =>
        s.reply(200, {
          data: [
            {
              created_at: '2025-02-19T00:00:00Z',
              display_name: 'Claude Sonnet 4',
              id: 'claude-sonnet-4-20250514',
              type: 'model',
            },
          ],
          first_id: 'claude-sonnet-4-20250514',
          has_more: false,
          last_id: 'claude-sonnet-4-20250514',
        }),
      verdict: 'live',
      detail: 'GET api.anthropic.com/v1/models answered 200: the key works',
    },
    {
      name: '401 authentication_error',
      reply: (s: nock.Interceptor) => s.reply(401, errorReply('authentication_error', 'invalid x-api-key')),
      verdict: 'dead',
      detail:
        'GET api.anthropic.com/v1/models answered 401 authentication_error: the key is disabled or never existed',
    },
    {
      name: '403 permission_error',
      reply: (s: nock.Interceptor) =>
        s.reply(
          403,
          errorReply(
            'permission_error',
            'Your API key does not have permission to use the specified resource.',
          ),
        ),
      verdict: 'unknown',
      detail: 'GET api.anthropic.com/v1/models answered 403 (permission_error)',
    },
    {
      name: '429',
      reply: (s: nock.Interceptor) =>
        s.reply(429, errorReply('rate_limit_error', 'Number of requests has exceeded your rate limit.'), {
          'retry-after': '30',
        }),
      verdict: 'unknown',
      detail: 'GET api.anthropic.com/v1/models answered 429 (rate_limit_error)',
    },
    {
      name: '500',
      reply: (s: nock.Interceptor) => s.reply(500, errorReply('api_error', 'Internal server error')),
      verdict: 'unknown',
      detail: 'GET api.anthropic.com/v1/models answered 500 (api_error)',
    },
    {
      name: '529 overloaded',
      reply: (s: nock.Interceptor) => s.reply(529, errorReply('overloaded_error', 'Overloaded')),
      verdict: 'unknown',
      detail: 'GET api.anthropic.com/v1/models answered 529 (overloaded_error)',
    },
    {
      name: '400',
      reply: (s: nock.Interceptor) =>
        s.reply(400, errorReply('invalid_request_error', 'anthropic-version: bad value')),
      verdict: 'unknown',
      detail: 'GET api.anthropic.com/v1/models answered 400 (invalid_request_error)',
    },
    {
      name: 'a 401 without the documented error body',
      reply: (s: nock.Interceptor) => s.reply(401, '<html>Unauthorized</html>'),
      verdict: 'unknown',
      detail: 'GET api.anthropic.com/v1/models answered 401',
    },
    {
      name: 'a timeout',
      reply: (s: nock.Interceptor) => s.delay(1_000).reply(200, { data: [], has_more: false }),
      verdict: 'unknown',
      detail: 'GET api.anthropic.com/v1/models: no answer in time',
    },
    {
      name: 'malformed JSON',
      reply: (s: nock.Interceptor) =>
        s.reply(200, '{"data": [{"id": ', { 'content-type': 'application/json' }),
      verdict: 'unknown',
      detail: 'GET api.anthropic.com/v1/models answered 200 with an unexpected body',
    },
    {
      name: 'a redirect to another host',
      reply: (s: nock.Interceptor) => s.reply(302, '', { location: 'https://collector.example/v1/models' }),
      verdict: 'unknown',
      detail: 'GET api.anthropic.com/v1/models: redirected to another host (collector.example): not followed',
    },
  ])('$name → $verdict', async ({ reply, verdict, detail }) => {
    reply(
      nock(API)
        .get('/v1/models')
        .matchHeader('x-api-key', key.raw)
        .matchHeader('anthropic-version', '2023-06-01'),
    );

    const result = await anthropic.verify(key.secret, 'anthropic.api-key', providers.context(admin));

    expect(result).toEqual({ verdict, detail });
    expectClean(result);
    expect(providers.requestsContaining(key.raw)).toEqual([`GET ${API}/v1/models`]);
    expect(providers.requestsContaining(adminRaw)).toEqual([]);
    providers.done();
  });

  it('checks a leaked admin key with the organisation call', async () => {
    const leakedAdmin = leaked('anthropic.admin-key');
    nock(API).get('/v1/organizations/me').matchHeader('x-api-key', leakedAdmin.raw).reply(200, {
      id: '12345678-1234-5678-1234-567812345678',
      name: 'Organization Name',
      type: 'organization',
    });

    const result = await anthropic.verify(leakedAdmin.secret, 'anthropic.admin-key', providers.context());

    expect(result).toEqual({
      verdict: 'live',
      detail: 'GET api.anthropic.com/v1/organizations/me answered 200: the key works',
    });
    expect(providers.requestsContaining(leakedAdmin.raw)).toEqual([`GET ${API}/v1/organizations/me`]);
    providers.done();
  });

  it.each(['anthropic.oauth-access-token', 'anthropic.oauth-refresh-token'])(
    'does not send %s anywhere: unknown',
    async (ruleId) => {
      const token = leaked(ruleId);

      const result = await anthropic.verify(token.secret, ruleId, providers.context());

      expect(result).toEqual({
        verdict: 'unknown',
        detail: 'Anthropic documents no check for OAuth tokens: not sent anywhere',
      });
      expect(providers.requests()).toEqual([]);
    },
  );
});

/** Mocks the key listing: `pages` of `[id, hint, status]`, paged with `after_id`. */
function mockKeys(pages: [string, string, string][][]): void {
  pages.forEach((keys, index) => {
    const query: Record<string, string> = { limit: '100' };
    const previous = pages[index - 1];
    if (previous) query.after_id = previous.at(-1)?.[0] ?? '';
    nock(API)
      .get('/v1/organizations/api_keys')
      .query(query)
      .matchHeader('x-api-key', adminRaw)
      .matchHeader('anthropic-version', '2023-06-01')
      .reply(200, {
        data: keys.map(([id, partialKeyHint, status]) => ({
          id,
          created_at: '2024-10-30T23:58:27.427722Z',
          created_by: { id: 'user_01WCz1FkmYMm4gnmykNKUu3Q', type: 'user' },
          name: `Key ${id}`,
          partial_key_hint: partialKeyHint,
          status,
          type: 'api_key',
          workspace_id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
        })),
        first_id: keys[0]?.[0] ?? null,
        has_more: index < pages.length - 1,
        last_id: keys.at(-1)?.[0] ?? null,
      });
  });
}

/** Two pages; the leaked key on the second. */
function mockOrganisation(status = 'active', extra: [string, string, string][] = []): void {
  mockKeys([[['apikey_01A', hint(other.raw), 'active'], ...extra], [['apikey_01B', hint(key.raw), status]]]);
}

const updatedReply = (status: string) => ({
  id: 'apikey_01B',
  created_at: '2024-10-30T23:58:27.427722Z',
  created_by: { id: 'user_01WCz1FkmYMm4gnmykNKUu3Q', type: 'user' },
  name: 'Key apikey_01B',
  partial_key_hint: hint(key.raw),
  status,
  type: 'api_key',
  workspace_id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
});

describe('anthropic.revoke', () => {
  it('plans the deactivation in a dry run without changing anything', async () => {
    mockOrganisation();

    const outcome = await anthropic.revoke?.(key.secret, 'anthropic.api-key', providers.context(admin), {
      dryRun: true,
    });

    expect(outcome).toEqual({
      kind: 'planned',
      detail: 'would set Anthropic key apikey_01B in workspace wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ to inactive',
      keyId: 'apikey_01B',
    });
    expect(providers.requests().map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(providers.requestsContaining(key.raw)).toEqual([]);
    providers.done();
  });

  it('sets the one matching key to inactive', async () => {
    mockOrganisation();
    nock(API)
      .post('/v1/organizations/api_keys/apikey_01B', { status: 'inactive' })
      .matchHeader('x-api-key', adminRaw)
      .reply(200, updatedReply('inactive'));

    const outcome = await anthropic.revoke?.(key.secret, 'anthropic.api-key', providers.context(admin), {
      dryRun: false,
    });

    expect(outcome).toEqual({
      kind: 'revoked',
      detail: 'set Anthropic key apikey_01B in workspace wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ to inactive',
      keyId: 'apikey_01B',
    });
    expect(providers.requestsContaining(key.raw)).toEqual([]);
    expect(providers.requests().every((r) => r.origin === API)).toBe(true);
    providers.done();
  });

  it.each([
    {
      name: 'the key is already inactive',
      mock: () => mockOrganisation('inactive'),
      outcome: {
        kind: 'revoked',
        keyId: 'apikey_01B',
        detail:
          'Anthropic key apikey_01B in workspace wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ was already inactive: nothing to change',
      },
    },
    {
      name: 'the key is archived',
      mock: () => mockOrganisation('archived'),
      outcome: {
        kind: 'revoked',
        keyId: 'apikey_01B',
        detail:
          'Anthropic key apikey_01B in workspace wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ was already archived: nothing to change',
      },
    },
    {
      name: 'no key matches',
      mock: () => mockKeys([[['apikey_01A', hint(other.raw), 'active']]]),
      outcome: {
        kind: 'refused',
        detail:
          'no key in the Anthropic organisation of the admin key matches this key: it belongs to another organisation, or was already deleted',
      },
    },
    {
      name: 'two keys share its prefix and suffix',
      mock: () => mockOrganisation('active', [['apikey_01C', hint(key.raw), 'active']]),
      outcome: {
        kind: 'refused',
        detail:
          "2 keys in the Anthropic organisation match this key's visible prefix and suffix: ambiguous, nothing changed",
      },
    },
    {
      name: 'the listing is rate limited',
      mock: () =>
        nock(API)
          .get('/v1/organizations/api_keys')
          .query({ limit: '100' })
          .reply(429, errorReply('rate_limit_error', 'Number of requests has exceeded your rate limit.')),
      outcome: {
        kind: 'failed',
        detail: 'listing Anthropic API keys: GET api.anthropic.com/v1/organizations/api_keys answered 429',
      },
    },
    {
      name: 'the admin key is refused',
      mock: () =>
        nock(API)
          .get('/v1/organizations/api_keys')
          .query({ limit: '100' })
          .reply(401, errorReply('authentication_error', 'invalid x-api-key')),
      outcome: {
        kind: 'refused',
        detail:
          'listing Anthropic API keys: GET api.anthropic.com/v1/organizations/api_keys answered 401: the admin key was not accepted',
      },
    },
    {
      name: 'the update fails with a 500',
      mock: () => {
        mockOrganisation();
        nock(API)
          .post('/v1/organizations/api_keys/apikey_01B')
          .reply(500, errorReply('api_error', 'Internal server error'));
      },
      outcome: {
        kind: 'failed',
        detail:
          'deactivating Anthropic key apikey_01B in workspace wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ: POST api.anthropic.com/v1/organizations/api_keys/apikey_01B answered 500',
      },
    },
    {
      name: 'the update answers but the key stays active',
      mock: () => {
        mockOrganisation();
        nock(API).post('/v1/organizations/api_keys/apikey_01B').reply(200, updatedReply('active'));
      },
      outcome: {
        kind: 'failed',
        detail:
          'deactivating Anthropic key apikey_01B in workspace wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ: POST api.anthropic.com/v1/organizations/api_keys/apikey_01B answered 200 with an unexpected body',
      },
    },
  ])('$name → $outcome.kind', async ({ mock, outcome }) => {
    mock();

    const result = await anthropic.revoke?.(key.secret, 'anthropic.api-key', providers.context(admin), {
      dryRun: false,
    });

    expect(result).toEqual(outcome);
    expectClean(result);
    expect(providers.requestsContaining(key.raw)).toEqual([]);
    providers.done();
  });

  it.each([
    {
      ruleId: 'anthropic.api-key',
      admin: {},
      detail: /^no Anthropic admin key is configured: set KEYWARDEN_ANTHROPIC_ADMIN_KEY/,
    },
    { ruleId: 'anthropic.admin-key', admin, detail: /settings\/admin-keys$/ },
    { ruleId: 'anthropic.oauth-access-token', admin, detail: /claude\.ai\/settings\/account$/ },
  ])(
    'refuses $ruleId without a request when it cannot act',
    async ({ ruleId, admin: configured, detail }) => {
      const result = await anthropic.revoke?.(key.secret, ruleId, providers.context(configured), {
        dryRun: false,
      });

      expect(result?.kind).toBe('refused');
      expect(result?.detail).toMatch(detail);
      expect(providers.requests()).toEqual([]);
    },
  );
});

describe('anthropic.identify', () => {
  it('names the key and its workspace when exactly one matches', async () => {
    mockOrganisation();

    const identity = await anthropic.identify?.(key.secret, 'anthropic.api-key', providers.context(admin));

    expect(identity).toEqual({ keyId: 'apikey_01B', scope: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ' });
    expect(providers.requestsContaining(key.raw)).toEqual([]);
    providers.done();
  });
});

describe('anthropic.usage', () => {
  const since = new Date('2025-06-01T00:00:00Z');
  const result = (r: Record<string, unknown>) => ({
    uncached_input_tokens: 0,
    cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
    cache_read_input_tokens: 0,
    output_tokens: 0,
    server_tool_use: { web_search_requests: 0 },
    api_key_id: null,
    workspace_id: null,
    model: null,
    service_tier: null,
    context_window: null,
    ...r,
  });

  it('collects hourly buckets per key over two pages, counting every kind of token', async () => {
    const query = {
      starting_at: since.toISOString(),
      bucket_width: '1h',
      'group_by[]': 'api_key_id',
      limit: '168',
    };
    nock(API)
      .get('/v1/organizations/usage_report/messages')
      .query(query)
      .matchHeader('x-api-key', adminRaw)
      .reply(200, {
        data: [
          {
            starting_at: '2025-06-01T00:00:00Z',
            ending_at: '2025-06-01T01:00:00Z',
            results: [
              result({
                api_key_id: 'apikey_01B',
                uncached_input_tokens: 100,
                cache_read_input_tokens: 20,
                cache_creation: { ephemeral_1h_input_tokens: 3, ephemeral_5m_input_tokens: 4 },
                output_tokens: 50,
              }),
              result({ api_key_id: null, uncached_input_tokens: 9 }),
            ],
          },
        ],
        has_more: true,
        next_page: 'page_MjAyNS0wNi0wMVQwMTowMDowMFo=',
      })
      .get('/v1/organizations/usage_report/messages')
      .query({ ...query, page: 'page_MjAyNS0wNi0wMVQwMTowMDowMFo=' })
      .reply(200, {
        data: [
          {
            starting_at: '2025-06-01T01:00:00Z',
            ending_at: '2025-06-01T02:00:00Z',
            results: [result({ api_key_id: 'apikey_01A', uncached_input_tokens: 1, output_tokens: 2 })],
          },
        ],
        has_more: false,
        next_page: null,
      });

    const buckets = await anthropic.usage?.(since, providers.context(admin));

    expect(buckets).toEqual([
      { keyId: 'apikey_01B', hour: new Date('2025-06-01T00:00:00Z'), requests: 0, tokens: 177 },
      { keyId: 'apikey_01A', hour: new Date('2025-06-01T01:00:00Z'), requests: 0, tokens: 3 },
    ]);
    providers.done();
  });

  it('throws an error naming the request and status when the report fails', async () => {
    nock(API)
      .get('/v1/organizations/usage_report/messages')
      .query(true)
      .reply(500, errorReply('api_error', 'Internal server error'));

    await expect(anthropic.usage?.(since, providers.context(admin))).rejects.toThrow(
      'Anthropic usage: GET api.anthropic.com/v1/organizations/usage_report/messages answered 500',
    );
    providers.done();
  });

  it('reports nothing without an admin key', async () => {
    expect(await anthropic.usage?.(since, providers.context())).toEqual([]);
    expect(providers.requests()).toEqual([]);
  });
});
