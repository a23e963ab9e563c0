import type nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GithubMock, githubMock, requestsContaining } from '../../../test/support/github.js';
import { openapiExample } from '../../../test/support/openapi.js';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { github } from './index.js';

const API = 'https://api.github.com';

function leaked(ruleId: string, seed = 'leak'): { raw: string; secret: Secret } {
  const rule = allRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const raw = rule.sample(seed);
  const prefix = /^(?:github_pat_|gh[pousr]_)/.exec(raw)?.[0] ?? '';
  return { raw, secret: new Secret(raw, redact(raw, prefix)) };
}

const pat = leaked('github.personal-access-token');
const badCredentials = {
  message: 'Bad credentials',
  documentation_url: 'https://docs.github.com/rest',
  status: '401',
};

let gh: GithubMock;
let providers: SealedProviders;
beforeEach(() => {
  gh = githubMock();
  providers = sealedProviders();
});
afterEach(() => {
  gh.assertDone();
  gh.restore();
  providers.restore();
});

describe('github.verify', () => {
  it.each([
    {
      name: '200 with the rate limits',
      reply: (s: nock.Interceptor) => s.reply(200, openapiExample('GET', '/rate_limit')),
      verdict: 'live',
      detail: 'GET api.github.com/rate_limit answered 200: the token works',
    },
    {
      name: '401 bad credentials',
      reply: (s: nock.Interceptor) => s.reply(401, badCredentials),
      verdict: 'dead',
      detail: 'GET api.github.com/rate_limit answered 401: bad credentials, the token is revoked or expired',
    },
    {
      name: '403 (SSO or a block)',
      reply: (s: nock.Interceptor) =>
        s.reply(403, { message: 'Resource protected by organization SAML enforcement.', status: '403' }),
      verdict: 'unknown',
      detail: 'GET api.github.com/rate_limit answered 403',
    },
    {
      name: '429',
      reply: (s: nock.Interceptor) =>
        s.reply(429, { message: 'API rate limit exceeded', status: '429' }, { 'retry-after': '60' }),
      verdict: 'unknown',
      detail: 'GET api.github.com/rate_limit answered 429',
    },
    {
      name: '500',
      reply: (s: nock.Interceptor) => s.reply(500, { message: 'Server Error' }),
      verdict: 'unknown',
      detail: 'GET api.github.com/rate_limit answered 500',
    },
    {
      name: '400',
      reply: (s: nock.Interceptor) => s.reply(400, { message: 'Problems parsing JSON' }),
      verdict: 'unknown',
      detail: 'GET api.github.com/rate_limit answered 400',
    },
    {
      name: 'a timeout',
      reply: (s: nock.Interceptor) => s.delay(1_000).reply(200, openapiExample('GET', '/rate_limit')),
      verdict: 'unknown',
      detail: 'GET api.github.com/rate_limit: no answer in time',
    },
    {
      name: 'malformed JSON',
      reply: (s: nock.Interceptor) =>
        s.reply(200, '{"resources": {', { 'content-type': 'application/json; charset=utf-8' }),
      verdict: 'unknown',
      detail: 'GET api.github.com/rate_limit answered 200 with an unexpected body',
    },
    {
      name: 'a redirect to another host',
      reply: (s: nock.Interceptor) => s.reply(301, '', { location: 'https://collector.example/rate_limit' }),
      verdict: 'unknown',
      detail: 'GET api.github.com/rate_limit: redirected to another host (collector.example): not followed',
    },
  ])('$name → $verdict', async ({ reply, verdict, detail }) => {
    reply(gh.api.get('/rate_limit').matchHeader('authorization', `Bearer ${pat.raw}`));

    const result = await github.verify(pat.secret, 'github.personal-access-token', providers.context());

    expect(result).toEqual({ verdict, detail });
    expect(JSON.stringify(result)).not.toContain(pat.raw);
    expect(providers.requestsContaining(pat.raw)).toEqual([`GET ${API}/rate_limit`]);
    providers.done();
  });

  it.each([
    'github.fine-grained-token',
    'github.oauth-token',
    'github.user-to-server-token',
    'github.installation-token',
  ])('checks %s the same way', async (ruleId) => {
    const token = leaked(ruleId);
    gh.api.get('/rate_limit').matchHeader('authorization', `Bearer ${token.raw}`).reply(401, badCredentials);

    const result = await github.verify(token.secret, ruleId, providers.context());

    expect(result.verdict).toBe('dead');
    expect(providers.requestsContaining(token.raw)).toEqual([`GET ${API}/rate_limit`]);
  });

  it('does not send a refresh token anywhere', async () => {
    const token = leaked('github.refresh-token');

    const result = await github.verify(token.secret, 'github.refresh-token', providers.context());

    expect(result.verdict).toBe('unknown');
    expect(providers.requests()).toEqual([]);
  });
});

describe('github.revoke', () => {
  it('plans the revocation in a dry run without a request', async () => {
    const outcome = await github.revoke?.(pat.secret, 'github.personal-access-token', providers.context(), {
      dryRun: true,
    });

    expect(outcome?.kind).toBe('planned');
    expect(providers.requests()).toEqual([]);
  });

  it.each([
    {
      name: '202 accepted',
      reply: (s: nock.Interceptor) => s.reply(202, {}),
      outcome: {
        kind: 'revoked',
        detail:
          'POST api.github.com/credentials/revoke answered 202: GitHub accepted the revocation and notifies the owner',
      },
    },
    {
      name: '422 validation failed',
      reply: (s: nock.Interceptor) =>
        s.reply(422, {
          message: 'Validation Failed',
          documentation_url: 'https://docs.github.com/rest',
          status: '422',
        }),
      outcome: {
        kind: 'refused',
        detail:
          'POST api.github.com/credentials/revoke answered 422: GitHub did not accept the token for revocation',
      },
    },
    {
      name: '429',
      reply: (s: nock.Interceptor) =>
        s.reply(429, { message: 'Too many requests' }, { 'retry-after': '3600' }),
      outcome: {
        kind: 'failed',
        detail: 'asking GitHub to revoke the token: POST api.github.com/credentials/revoke answered 429',
      },
    },
    {
      name: 'a rate-limit 403',
      reply: (s: nock.Interceptor) =>
        s.reply(
          403,
          { message: 'API rate limit exceeded' },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '60' },
        ),
      outcome: {
        kind: 'failed',
        detail: 'asking GitHub to revoke the token: POST api.github.com/credentials/revoke answered 403',
      },
    },
    {
      name: '500',
      reply: (s: nock.Interceptor) => s.reply(500, { message: 'Server Error' }),
      outcome: {
        kind: 'failed',
        detail: 'asking GitHub to revoke the token: POST api.github.com/credentials/revoke answered 500',
      },
    },
    {
      name: 'a timeout',
      reply: (s: nock.Interceptor) => s.delay(1_000).reply(202, {}),
      outcome: {
        kind: 'failed',
        detail:
          'asking GitHub to revoke the token: POST api.github.com/credentials/revoke: no answer in time',
      },
    },
  ])('POST /credentials/revoke unauthenticated: $name → $outcome.kind', async ({ reply, outcome }) => {
    reply(
      gh.api
        .post('/credentials/revoke', { credentials: [pat.raw] })
        .matchHeader('authorization', (v) => v === undefined),
    );

    const result = await github.revoke?.(pat.secret, 'github.personal-access-token', providers.context(), {
      dryRun: false,
    });

    expect(result).toEqual(outcome);
    expect(JSON.stringify(result)).not.toContain(pat.raw);
    expect(providers.requests().map((r) => r.headers.authorization)).toEqual([undefined]);
    expect(providers.requestsContaining(pat.raw)).toEqual([`POST ${API}/credentials/revoke`]);
    expect(requestsContaining(gh, pat.raw)).toEqual([`POST ${API}/credentials/revoke`]);
    providers.done();
  });

  it.each([
    {
      status: 204,
      kind: 'revoked',
      detail: 'DELETE api.github.com/installation/token answered 204: the installation token is revoked',
    },
    {
      status: 401,
      kind: 'revoked',
      detail:
        'DELETE api.github.com/installation/token answered 401: the token was already invalid (expired or revoked)',
    },
    {
      status: 503,
      kind: 'failed',
      detail: 'revoking the installation token: DELETE api.github.com/installation/token answered 503',
    },
  ])(
    'revokes an installation token with the token itself: $status → $kind',
    async ({ status, kind, detail }) => {
      const token = leaked('github.installation-token');
      gh.api
        .delete('/installation/token')
        .matchHeader('authorization', `Bearer ${token.raw}`)
        .reply(status, status === 204 ? undefined : badCredentials);

      const result = await github.revoke?.(token.secret, 'github.installation-token', providers.context(), {
        dryRun: false,
      });

      expect(result).toEqual({ kind, detail });
      expect(providers.requestsContaining(token.raw)).toEqual([`DELETE ${API}/installation/token`]);
      providers.done();
    },
  );
});
