import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { slack } from './index.js';

const API = 'https://slack.com';

function leaked(ruleId: string): { raw: string; secret: Secret } {
  const rule = allRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const raw = rule.sample('leak');
  return { raw, secret: new Secret(raw, redact(raw, raw.slice(0, 5))) };
}

const bot = leaked('slack.bot-token');
const user = leaked('slack.user-token');

const authTestOk = {
  ok: true,
  url: 'https://subarachnoid.slack.com/',
  team: 'Subarachnoid Workspace',
  user: 'bot',
  team_id: 'T0G9PQBBK',
  user_id: 'W23456789',
  bot_id: 'BZYBOTHED',
  is_enterprise_install: false,
};

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('slack.verify', () => {
  it.each([
    {
      name: 'ok',
      reply: (s: nock.Interceptor) => s.reply(200, authTestOk),
      verdict: 'live',
      detail: 'POST slack.com/api/auth.test answered 200 ok: the token works',
    },
    ...['invalid_auth', 'token_revoked', 'account_inactive', 'token_expired', 'not_authed'].map((error) => ({
      name: error,
      reply: (s: nock.Interceptor) => s.reply(200, { ok: false, error }),
      verdict: 'dead',
      detail: `POST slack.com/api/auth.test answered 200 ${error}: the token no longer works`,
    })),
    {
      name: 'another error',
      reply: (s: nock.Interceptor) => s.reply(200, { ok: false, error: 'ekm_access_denied' }),
      verdict: 'unknown',
      detail: 'POST slack.com/api/auth.test answered 200 not ok (ekm_access_denied)',
    },
    {
      name: '429',
      reply: (s: nock.Interceptor) =>
        s.reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '30' }),
      verdict: 'unknown',
      detail: 'POST slack.com/api/auth.test answered 429',
    },
    {
      name: '500',
      reply: (s: nock.Interceptor) => s.reply(500, 'Internal Server Error'),
      verdict: 'unknown',
      detail: 'POST slack.com/api/auth.test answered 500',
    },
    {
      name: '400',
      reply: (s: nock.Interceptor) => s.reply(400, { ok: false, error: 'invalid_form_data' }),
      verdict: 'unknown',
      detail: 'POST slack.com/api/auth.test answered 400',
    },
    {
      name: 'a timeout',
      reply: (s: nock.Interceptor) => s.delay(1_000).reply(200, authTestOk),
      verdict: 'unknown',
      detail: 'POST slack.com/api/auth.test: no answer in time',
    },
    {
      name: 'malformed JSON',
      reply: (s: nock.Interceptor) => s.reply(200, '{"ok": tr', { 'content-type': 'application/json' }),
      verdict: 'unknown',
      detail: 'POST slack.com/api/auth.test answered 200 with an unexpected body',
    },
    {
      name: 'a redirect to another host',
      reply: (s: nock.Interceptor) =>
        s.reply(302, '', { location: 'https://collector.example/api/auth.test' }),
      verdict: 'unknown',
      detail: 'POST slack.com/api/auth.test: redirected to another host (collector.example): not followed',
    },
  ])('$name → $verdict', async ({ reply, verdict, detail }) => {
    reply(nock(API).post('/api/auth.test').matchHeader('authorization', `Bearer ${bot.raw}`));

    const result = await slack.verify(bot.secret, 'slack.bot-token', providers.context());

    expect(result).toEqual({ verdict, detail });
    expect(JSON.stringify(result)).not.toContain(bot.raw);
    expect(providers.requestsContaining(bot.raw)).toEqual([`POST ${API}/api/auth.test`]);
    providers.done();
  });

  it('checks a user token the same way', async () => {
    nock(API)
      .post('/api/auth.test')
      .matchHeader('authorization', `Bearer ${user.raw}`)
      .reply(200, { ...authTestOk, bot_id: undefined });

    const result = await slack.verify(user.secret, 'slack.user-token', providers.context());

    expect(result.verdict).toBe('live');
    providers.done();
  });
});

describe('slack.revoke', () => {
  it('plans the revocation in a dry run without a request', async () => {
    const outcome = await slack.revoke?.(bot.secret, 'slack.bot-token', providers.context(), {
      dryRun: true,
    });

    expect(outcome).toEqual({ kind: 'planned', detail: 'would revoke the token with auth.revoke' });
    expect(providers.requests()).toEqual([]);
  });

  it.each([
    {
      name: 'revoked',
      reply: (s: nock.Interceptor) => s.reply(200, { ok: true, revoked: true }),
      outcome: { kind: 'revoked', detail: 'POST slack.com/api/auth.revoke answered 200: revoked' },
    },
    {
      name: 'already invalid',
      reply: (s: nock.Interceptor) => s.reply(200, { ok: false, error: 'token_revoked' }),
      outcome: {
        kind: 'revoked',
        detail: 'POST slack.com/api/auth.revoke answered 200 token_revoked: already invalid',
      },
    },
    {
      name: 'an incompatible token type',
      reply: (s: nock.Interceptor) => s.reply(200, { ok: false, error: 'not_bearer_token' }),
      outcome: {
        kind: 'refused',
        detail: 'POST slack.com/api/auth.revoke answered 200 not ok (not_bearer_token)',
      },
    },
    {
      name: 'ok without revoking',
      reply: (s: nock.Interceptor) => s.reply(200, { ok: true, revoked: false }),
      outcome: { kind: 'failed', detail: 'POST slack.com/api/auth.revoke answered 200 ok but not revoked' },
    },
    {
      name: 'rate limited',
      reply: (s: nock.Interceptor) =>
        s.reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '30' }),
      outcome: { kind: 'failed', detail: 'POST slack.com/api/auth.revoke answered 429, retry after 30 s' },
    },
    {
      name: 'a temporary error',
      reply: (s: nock.Interceptor) => s.reply(200, { ok: false, error: 'service_unavailable' }),
      outcome: {
        kind: 'failed',
        detail: 'POST slack.com/api/auth.revoke answered 200 (service_unavailable)',
      },
    },
    {
      name: '503',
      reply: (s: nock.Interceptor) => s.reply(503, 'Service Unavailable'),
      outcome: { kind: 'failed', detail: 'POST slack.com/api/auth.revoke answered 503' },
    },
    {
      name: 'a timeout',
      reply: (s: nock.Interceptor) => s.delay(1_000).reply(200, { ok: true, revoked: true }),
      outcome: { kind: 'failed', detail: 'POST slack.com/api/auth.revoke: no answer in time' },
    },
  ])('$name → $outcome.kind', async ({ reply, outcome }) => {
    reply(nock(API).post('/api/auth.revoke').matchHeader('authorization', `Bearer ${bot.raw}`));

    const result = await slack.revoke?.(bot.secret, 'slack.bot-token', providers.context(), {
      dryRun: false,
    });

    expect(result).toEqual(outcome);
    expect(JSON.stringify(result)).not.toContain(bot.raw);
    expect(providers.requestsContaining(bot.raw)).toEqual([`POST ${API}/api/auth.revoke`]);
    providers.done();
  });
});
