import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminSecret, type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { ALPHABETS, fake } from '../../rules/examples.js';
import { allRules } from '../../rules/registry.js';
import type { AdminCredentials, RevocationOutcome } from '../types.js';
import { CLOUD_PLATFORM_SCOPE } from './access-token.js';
import { google, NO_SERVICE_ACCOUNT } from './index.js';

const GEMINI = 'https://generativelanguage.googleapis.com';
const API_KEYS = 'https://apikeys.googleapis.com';
const OAUTH = 'https://oauth2.googleapis.com';
const raw = allRules.find((rule) => rule.id === 'google.api-key')!.sample('providers.google');
const leaked = new Secret(raw, redact(raw, 'AIza'));

// The service account's key pair is made at run time: no private key is ever committed.
const { privateKey: pem } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const CLIENT_EMAIL = 'keywarden-revoker@ml-prod-4821.iam.gserviceaccount.com';
const admin: AdminCredentials = {
  google: {
    serviceAccount: { clientEmail: CLIENT_EMAIL, privateKey: adminSecret(pem), projectId: 'ml-prod-4821' },
  },
};
const ACCESS_TOKEN = `ya29.${fake('providers.google:token', 120, ALPHABETS.base64url)}`;
const KEY_NAME = 'projects/318442910277/locations/global/keys/0d3c7a52-9f1e-4b7a-8c21-5e6f7a8b9c0d';
const OPERATION = 'operations/akmf.p7-318442910277-0d3c7a52-9f1e-4b7a-8c21-5e6f7a8b9c0d';

const MODELS_PATH = '/v1beta/models?pageSize=1';
const GEMINI_REQUEST = `GET ${GEMINI}${MODELS_PATH}`;
const LOOKUP_REQUEST = `GET ${API_KEYS}/v2/keys:lookupKey?keyString=${raw}`;
const DELETE_REQUEST = `DELETE ${API_KEYS}/v2/${KEY_NAME}`;
const TOKEN_REQUEST = `POST ${OAUTH}/token`;

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

/** A Google error body (AIP-193), with an ErrorInfo reason when given. */
function googleError(code: number, status: string, reason?: string, message = 'Request failed.') {
  return {
    error: {
      code,
      message,
      status,
      details: reason
        ? [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason,
              domain: 'googleapis.com',
              metadata: { service: 'generativelanguage.googleapis.com' },
            },
          ]
        : [],
    },
  };
}

describe('google.verify (Gemini)', () => {
  const models = {
    models: [
      {
        name: 'models/gemini-2.5-flash',
        version: '001',
        displayName: 'Gemini 2.5 Flash',
        inputTokenLimit: 1048576,
        outputTokenLimit: 65536,
        supportedGenerationMethods: ['generateContent', 'countTokens'],
      },
    ],
    nextPageToken: 'Ch5tb2RlbHMvZ2VtaW5pLTIuNS1mbGFzaA==',
  };

  it.each([
    {
      name: 'a key that lists models is live',
      reply: () => nock(GEMINI).get(MODELS_PATH).reply(200, models),
      verdict: 'live',
      detail: `GET generativelanguage.googleapis.com/v1beta/models answered 200: the key lists Gemini models`,
    },
    {
      name: '400 API_KEY_INVALID is dead',
      reply: () =>
        nock(GEMINI)
          .get(MODELS_PATH)
          .reply(
            400,
            googleError(
              400,
              'INVALID_ARGUMENT',
              'API_KEY_INVALID',
              'API key not valid. Please pass a valid API key.',
            ),
          ),
      verdict: 'dead',
      detail: 'GET generativelanguage.googleapis.com/v1beta/models answered 400: API_KEY_INVALID',
    },
    {
      name: '403 for a project without the Gemini API proves nothing',
      reply: () =>
        nock(GEMINI)
          .get(MODELS_PATH)
          .reply(
            403,
            googleError(
              403,
              'PERMISSION_DENIED',
              'SERVICE_DISABLED',
              'Generative Language API has not been used in project 318442910277 before or it is disabled.',
            ),
          ),
      verdict: 'unknown',
      detail:
        'GET generativelanguage.googleapis.com/v1beta/models answered 403: SERVICE_DISABLED: Gemini is off or restricted for this key, which proves nothing about other Google APIs',
    },
    {
      name: '403 for a key restricted to other APIs proves nothing',
      reply: () =>
        nock(GEMINI)
          .get(MODELS_PATH)
          .reply(403, googleError(403, 'PERMISSION_DENIED', 'API_KEY_SERVICE_BLOCKED')),
      verdict: 'unknown',
      detail:
        'GET generativelanguage.googleapis.com/v1beta/models answered 403: API_KEY_SERVICE_BLOCKED: Gemini is off or restricted for this key, which proves nothing about other Google APIs',
    },
    {
      name: '429',
      reply: () => nock(GEMINI).get(MODELS_PATH).reply(429, googleError(429, 'RESOURCE_EXHAUSTED')),
      verdict: 'unknown',
      detail:
        'GET generativelanguage.googleapis.com/v1beta/models answered 429: rate limited, proves nothing',
    },
    {
      name: '5xx',
      reply: () => nock(GEMINI).get(MODELS_PATH).reply(503, googleError(503, 'UNAVAILABLE')),
      verdict: 'unknown',
      detail:
        'GET generativelanguage.googleapis.com/v1beta/models answered 503: provider error, proves nothing',
    },
    {
      name: 'another 400, whose message quotes the key',
      reply: () =>
        nock(GEMINI)
          .get(MODELS_PATH)
          .reply(400, googleError(400, 'INVALID_ARGUMENT', undefined, `Invalid value ${raw} for pageSize`)),
      verdict: 'unknown',
      detail:
        'GET generativelanguage.googleapis.com/v1beta/models answered 400: not an answer that proves the key live or dead',
    },
    {
      name: 'no answer in time',
      reply: () => nock(GEMINI).get(MODELS_PATH).delay(1_000).reply(200, models),
      verdict: 'unknown',
      detail: 'GET generativelanguage.googleapis.com/v1beta/models: no answer in time',
    },
    {
      name: 'malformed JSON',
      reply: () =>
        nock(GEMINI).get(MODELS_PATH).reply(200, '{"models": [', { 'content-type': 'application/json' }),
      verdict: 'unknown',
      detail:
        'GET generativelanguage.googleapis.com/v1beta/models answered 200: unexpected body, proves nothing',
    },
    {
      name: 'a 200 of another shape',
      reply: () => nock(GEMINI).get(MODELS_PATH).reply(200, { kind: 'something-else' }),
      verdict: 'unknown',
      detail:
        'GET generativelanguage.googleapis.com/v1beta/models answered 200: unexpected body, proves nothing',
    },
    {
      name: 'a redirect to another host (not followed)',
      reply: () =>
        nock(GEMINI)
          .get(MODELS_PATH)
          .reply(302, '', { location: 'https://gemini.example.test/v1beta/models' }),
      verdict: 'unknown',
      detail:
        'GET generativelanguage.googleapis.com/v1beta/models: redirected to another host (gemini.example.test): not followed',
    },
  ])('$name', async ({ reply, verdict, detail }) => {
    reply();

    const result = await google.verify(leaked, 'google.api-key', providers.context());

    expect(result).toEqual({ verdict, detail });
    expect(result.detail).not.toContain(raw);
    expect(providers.requestsContaining(raw)).toEqual([GEMINI_REQUEST]);
    expect(providers.requests()[0]!.headers['x-goog-api-key']).toBe(raw);
    expect(providers.requests()[0]!.path).not.toContain(raw);
    providers.done();
  });
});

describe('google.revoke', () => {
  const token = () =>
    nock(OAUTH)
      .post('/token', (body: Record<string, string>) => {
        const claims = JSON.parse(Buffer.from(body.assertion!.split('.')[1]!, 'base64url').toString('utf8'));
        return (
          body.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer' &&
          claims.iss === CLIENT_EMAIL &&
          claims.scope === CLOUD_PLATFORM_SCOPE &&
          claims.aud === `${OAUTH}/token`
        );
      })
      .reply(200, { access_token: ACCESS_TOKEN, expires_in: 3599, token_type: 'Bearer' });
  const lookup = () =>
    nock(API_KEYS)
      .get('/v2/keys:lookupKey')
      .query({ keyString: raw })
      .matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`);
  const found = () => lookup().reply(200, { parent: 'projects/318442910277', name: KEY_NAME });
  const deletion = () =>
    nock(API_KEYS).delete(`/v2/${KEY_NAME}`).matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`);

  it.each<{
    name: string;
    dryRun: boolean;
    mocks: () => unknown;
    outcome: RevocationOutcome;
    sent: string[];
  }>([
    {
      name: 'dry run: looks the key up, deletes nothing',
      dryRun: true,
      mocks: () => [token(), found()],
      outcome: {
        kind: 'planned',
        keyId: KEY_NAME,
        detail: `would delete Google API key ${KEY_NAME} of projects/318442910277 (restorable for 30 days)`,
      },
      sent: [TOKEN_REQUEST, LOOKUP_REQUEST],
    },
    {
      name: 'deletes the key',
      dryRun: false,
      mocks: () => [
        token(),
        found(),
        deletion().reply(200, {
          name: OPERATION,
          done: true,
          response: {
            '@type': 'type.googleapis.com/google.api.apikeys.v2.Key',
            name: KEY_NAME,
            uid: '0d3c7a52-9f1e-4b7a-8c21-5e6f7a8b9c0d',
            displayName: 'gemini-prototype',
            deleteTime: '2025-06-02T12:00:01Z',
          },
        }),
      ],
      outcome: {
        kind: 'revoked',
        keyId: KEY_NAME,
        detail: `deleted Google API key ${KEY_NAME} of projects/318442910277 (${OPERATION}); Google keeps deleted keys restorable for 30 days, then purges them`,
      },
      sent: [TOKEN_REQUEST, LOOKUP_REQUEST, DELETE_REQUEST],
    },
    {
      name: 'a key of a project the service account cannot see is refused',
      dryRun: false,
      mocks: () => [
        token(),
        lookup().reply(403, googleError(403, 'PERMISSION_DENIED', 'IAM_PERMISSION_DENIED')),
      ],
      outcome: {
        kind: 'refused',
        detail:
          'GET apikeys.googleapis.com/v2/keys:lookupKey answered 403 (IAM_PERMISSION_DENIED): the service account cannot see this key (no apikeys.keys.lookup on its project)',
      },
      sent: [TOKEN_REQUEST, LOOKUP_REQUEST],
    },
    {
      name: 'an unknown key is refused',
      dryRun: false,
      mocks: () => [token(), lookup().reply(404, googleError(404, 'NOT_FOUND'))],
      outcome: {
        kind: 'refused',
        detail:
          'GET apikeys.googleapis.com/v2/keys:lookupKey answered 404: the service account cannot see this key (no apikeys.keys.lookup on its project)',
      },
      sent: [TOKEN_REQUEST, LOOKUP_REQUEST],
    },
    {
      name: 'a purged key is refused',
      dryRun: false,
      mocks: () => [token(), lookup().reply(200, { parent: 'projects/318442910277' })],
      outcome: {
        kind: 'refused',
        detail: 'GET apikeys.googleapis.com/v2/keys:lookupKey answered 200: Google reports the key purged',
      },
      sent: [TOKEN_REQUEST, LOOKUP_REQUEST],
    },
    {
      name: 'a key name that would change the URL is refused before any DELETE',
      dryRun: false,
      mocks: () => [
        token(),
        lookup().reply(200, {
          parent: 'projects/318442910277',
          name: 'projects/318442910277/locations/global/keys/../../x',
        }),
      ],
      outcome: {
        kind: 'refused',
        detail: 'GET apikeys.googleapis.com/v2/keys:lookupKey answered 200: unexpected key name',
      },
      sent: [TOKEN_REQUEST, LOOKUP_REQUEST],
    },
    {
      name: 'a 429 on the lookup fails (retry later)',
      dryRun: false,
      mocks: () => [token(), lookup().reply(429, googleError(429, 'RESOURCE_EXHAUSTED'))],
      outcome: { kind: 'failed', detail: 'GET apikeys.googleapis.com/v2/keys:lookupKey answered 429' },
      sent: [TOKEN_REQUEST, LOOKUP_REQUEST],
    },
    {
      name: 'a 5xx on the DELETE fails (retry later)',
      dryRun: false,
      mocks: () => [token(), found(), deletion().reply(503, googleError(503, 'UNAVAILABLE'))],
      outcome: {
        kind: 'failed',
        detail: `DELETE apikeys.googleapis.com/v2/${KEY_NAME} answered 503`,
      },
      sent: [TOKEN_REQUEST, LOOKUP_REQUEST, DELETE_REQUEST],
    },
    {
      name: 'a DELETE without an answer in time fails (retry later)',
      dryRun: false,
      mocks: () => [token(), found(), deletion().delay(1_000).reply(200, { name: OPERATION })],
      outcome: { kind: 'failed', detail: `DELETE apikeys.googleapis.com/v2/${KEY_NAME}: no answer in time` },
      sent: [TOKEN_REQUEST, LOOKUP_REQUEST, DELETE_REQUEST],
    },
    {
      name: 'a refused token request fails, once, without the credential',
      dryRun: false,
      mocks: () => [
        nock(OAUTH)
          .post('/token')
          .reply(400, {
            error: 'invalid_grant',
            error_description: `Invalid JWT Signature for ${CLIENT_EMAIL}`,
          }),
      ],
      outcome: {
        kind: 'failed',
        detail: 'token: POST oauth2.googleapis.com/token answered 400 (invalid_grant)',
      },
      sent: [TOKEN_REQUEST],
    },
    {
      name: 'a token endpoint 5xx fails without a retry',
      dryRun: false,
      mocks: () => [nock(OAUTH).post('/token').reply(503, 'Service Unavailable')],
      outcome: { kind: 'failed', detail: 'token: POST oauth2.googleapis.com/token answered 503' },
      sent: [TOKEN_REQUEST],
    },
    {
      name: 'a token endpoint without an answer in time fails',
      dryRun: false,
      mocks: () => [nock(OAUTH).post('/token').delay(1_000).reply(200, { access_token: ACCESS_TOKEN })],
      outcome: { kind: 'failed', detail: 'token: POST oauth2.googleapis.com/token: no answer in time' },
      sent: [TOKEN_REQUEST],
    },
  ])('$name', async ({ dryRun, mocks, outcome, sent }) => {
    mocks();

    const result = await google.revoke!(leaked, 'google.api-key', providers.context(admin), { dryRun });

    expect(result).toEqual(outcome);
    const shown = JSON.stringify(result);
    for (const credential of [raw, pem, ACCESS_TOKEN]) expect(shown).not.toContain(credential);
    expect(providers.requests().map((r) => `${r.method} ${r.origin}${r.path}`)).toEqual(sent);
    expect(providers.requestsContaining(raw)).toEqual(sent.filter((r) => r === LOOKUP_REQUEST));
    expect(providers.requestsContaining(pem.split('\n')[1]!)).toEqual([]);
    providers.done();
  });

  it('without a service account is refused, naming the setting, and sends nothing', async () => {
    const result = await google.revoke!(leaked, 'google.api-key', providers.context(), { dryRun: false });

    expect(result).toEqual({ kind: 'refused', detail: NO_SERVICE_ACCOUNT });
    expect(result.detail).toContain('KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE');
    expect(providers.requests()).toEqual([]);
    providers.done();
  });

  it('identifies the key by its resource name and project', async () => {
    token();
    found();

    const identity = await google.identify!(leaked, 'google.api-key', providers.context(admin));

    expect(identity).toEqual({ keyId: KEY_NAME, scope: 'projects/318442910277' });
    expect(providers.requestsContaining(raw)).toEqual([LOOKUP_REQUEST]);
    providers.done();
  });
});
