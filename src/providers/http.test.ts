import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../test/support/providers.js';
import { Secret } from '../engine/secret.js';
import { ALPHABETS, fake } from '../rules/examples.js';
import { createProviderHttp, describeResult, MAX_BODY_BYTES, requestName, scrub } from './http.js';

const ORIGIN = 'https://api.provider.test';
const raw = `sk-test-${fake('http.test', 40, ALPHABETS.alnum)}`;
const secret = new Secret(raw, `sk-test-…${raw.slice(-4)}`);

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('createProviderHttp', () => {
  it.each([
    {
      name: '200 with a JSON body',
      reply: () =>
        nock(ORIGIN)
          .get('/v1/models')
          .reply(200, { data: [{ id: 'm' }] }),
      expected: { ok: true, status: 200, json: { data: [{ id: 'm' }] } },
    },
    {
      name: 'malformed JSON',
      reply: () =>
        nock(ORIGIN).get('/v1/models').reply(200, '{"data": [', { 'content-type': 'application/json' }),
      expected: { ok: true, status: 200, json: undefined, text: '{"data": [' },
    },
    {
      name: 'an empty body',
      reply: () => nock(ORIGIN).get('/v1/models').reply(204),
      expected: { ok: true, status: 204, json: undefined, text: '' },
    },
    {
      name: 'a 3xx without a location (returned, not followed)',
      reply: () => nock(ORIGIN).get('/v1/models').reply(304),
      expected: { ok: true, status: 304, json: undefined },
    },
    {
      name: 'no answer before the timeout',
      reply: () => nock(ORIGIN).get('/v1/models').delay(2_000).reply(200, {}),
      expected: { ok: false, reason: 'timeout', detail: 'no answer in time' },
    },
  ])('$name', async ({ reply, expected }) => {
    reply();

    const result = await providers.context().http.request({
      method: 'GET',
      url: `${ORIGIN}/v1/models`,
      headers: { authorization: `Bearer ${raw}` },
      secrets: [secret],
    });

    if (expected.ok) {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.name).toBe('GET api.provider.test/v1/models');
      expect(result.response.status).toBe(expected.status);
      expect(result.response.json).toEqual(expected.json);
      if ('text' in expected) expect(result.response.text).toBe(expected.text);
    } else {
      expect(result).toEqual({ name: 'GET api.provider.test/v1/models', ...expected });
    }
    expect(providers.requestsContaining(raw)).toEqual([`GET ${ORIGIN}/v1/models`]);
    providers.done();
  });

  it('honours a per-request timeout over the default', async () => {
    nock(ORIGIN).get('/slow').delay(150).reply(200, {});

    const result = await providers
      .context()
      .http.request({ method: 'GET', url: `${ORIGIN}/slow`, timeoutMs: 50 });

    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    providers.done();
  });

  it('reports a network error without the secret and never throws', async () => {
    const result = await providers.context().http.request({
      method: 'POST',
      url: 'https://unmocked.provider.test/v1/check',
      headers: { authorization: `Bearer ${raw}` },
      json: { key: raw },
      secrets: [secret],
    });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('network');
    expect(result.detail).toMatch(/^network error/);
    expect(JSON.stringify(result)).not.toContain(raw);
    expect(describeResult(result)).not.toContain(raw);
    expect(providers.unmatched()).toEqual(['POST https://unmocked.provider.test/v1/check']);
  });

  it('follows a redirect within the same origin', async () => {
    nock(ORIGIN)
      .get('/v1/models')
      .reply(301, '', { location: '/v2/models' })
      .get('/v2/models')
      .reply(200, { moved: true });

    const result = await providers.context().http.request({ method: 'GET', url: `${ORIGIN}/v1/models` });

    expect(result.ok && result.response.json).toEqual({ moved: true });
    expect(providers.requests().map((r) => r.path)).toEqual(['/v1/models', '/v2/models']);
    providers.done();
  });

  it('refuses a redirect to another host and never contacts it', async () => {
    nock(ORIGIN).get('/v1/models').reply(302, '', { location: 'https://collector.example/steal' });

    const result = await providers.context().http.request({
      method: 'GET',
      url: `${ORIGIN}/v1/models`,
      headers: { authorization: `Bearer ${raw}` },
      secrets: [secret],
    });

    expect(result).toEqual({
      ok: false,
      name: 'GET api.provider.test/v1/models',
      reason: 'redirect',
      detail: 'redirected to another host (collector.example): not followed',
    });
    expect(providers.requests().map((r) => r.origin)).toEqual([ORIGIN]);
    expect(providers.unmatched()).toEqual([]);
    providers.done();
  });

  it('stops after too many same-origin redirects', async () => {
    nock(ORIGIN).get('/loop').times(4).reply(302, '', { location: '/loop' });

    const result = await providers.context().http.request({ method: 'GET', url: `${ORIGIN}/loop` });

    expect(result).toMatchObject({ ok: false, reason: 'redirect', detail: 'too many redirects' });
    expect(providers.requests()).toHaveLength(4);
    providers.done();
  });

  it('cuts a body over the cap', async () => {
    const big = `{"data":"${'a'.repeat(MAX_BODY_BYTES + 64 * 1024)}"}`;
    nock(ORIGIN).get('/big').reply(200, big);

    const result = await providers.context().http.request({ method: 'GET', url: `${ORIGIN}/big` });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.response.text.length).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(result.response.text.length).toBeGreaterThan(0);
    expect(result.response.json).toBeUndefined();
    providers.done();
  });

  it('scrubs the start of a secret cut off at the cap', async () => {
    const padding = 'a'.repeat(MAX_BODY_BYTES - 10);
    nock(ORIGIN)
      .get('/echo')
      .reply(200, `${padding}${raw}${'b'.repeat(100)}`);

    const result = await providers.context().http.request({
      method: 'GET',
      url: `${ORIGIN}/echo`,
      secrets: [secret],
    });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.response.text).toBe(`${padding}${secret.redacted}`);
    providers.done();
  });

  it('sends requests for a mapped origin to the local stand-in, keeping the real name', async () => {
    const local = nock('http://127.0.0.1:4010').get('/v1/models?limit=1').reply(200, { local: true });
    const http = createProviderHttp({ origins: { [ORIGIN]: 'http://127.0.0.1:4010/' }, timeoutMs: 300 });

    const result = await http.request({ method: 'GET', url: `${ORIGIN}/v1/models?limit=1` });

    expect(result.ok && result.response.json).toEqual({ local: true });
    expect(result.name).toBe('GET api.provider.test/v1/models');
    local.done();
  });

  it('scrubs every named secret from the body it returns', async () => {
    nock(ORIGIN)
      .get('/v1/models')
      .reply(401, { error: { message: `Incorrect API key provided: ${raw}.`, code: 'invalid_api_key' } });

    const result = await providers.context().http.request({
      method: 'GET',
      url: `${ORIGIN}/v1/models`,
      headers: { authorization: `Bearer ${raw}` },
      secrets: [secret],
    });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.response.text).not.toContain(raw);
    expect(result.response.text).toContain(secret.redacted);
    expect(result.response.json).toEqual({
      error: { message: `Incorrect API key provided: ${secret.redacted}.`, code: 'invalid_api_key' },
    });
    providers.done();
  });

  it('sends a JSON body with its content type, and a form body encoded', async () => {
    nock(ORIGIN)
      .post('/json', { credentials: ['x'] })
      .matchHeader('content-type', 'application/json')
      .reply(202, {})
      .post('/form', 'token=a%2Bb&test=1')
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, { ok: true });
    const http = providers.context().http;

    const json = await http.request({ method: 'POST', url: `${ORIGIN}/json`, json: { credentials: ['x'] } });
    const form = await http.request({
      method: 'POST',
      url: `${ORIGIN}/form`,
      form: { token: 'a+b', test: '1' },
    });

    expect(json.ok && json.response.status).toBe(202);
    expect(form.ok && form.response.json).toEqual({ ok: true });
    providers.done();
  });
});

describe('requestName, describeResult and scrub', () => {
  it('names a request by method, host and path only', () => {
    expect(requestName('GET', `${ORIGIN}/v1/keys?after=key_1#x`)).toBe('GET api.provider.test/v1/keys');
  });

  it('describes an answer by its status and a failure by its reason', () => {
    const response = { status: 503, headers: new Headers(), text: '', json: undefined };

    expect(describeResult({ ok: true, name: 'GET h/p', response })).toBe('GET h/p answered 503');
    expect(
      describeResult({ ok: false, name: 'GET h/p', reason: 'timeout', detail: 'no answer in time' }),
    ).toBe('GET h/p: no answer in time');
  });

  it('replaces each secret with its redacted form and leaves values under four characters alone', () => {
    const tiny = new Secret('abc', '…');

    expect(scrub(`a ${raw} b ${raw}`, [secret])).toBe(`a ${secret.redacted} b ${secret.redacted}`);
    expect(scrub('abc abc', [tiny])).toBe('abc abc');
  });
});
