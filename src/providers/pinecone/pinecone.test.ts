import nock from 'nock';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { indeterminateCases, runVerifyCase, type VerifyCase } from '../../../test/support/verify-cases.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { PINECONE_API_VERSION, pinecone } from './index.js';

const ORIGIN = 'https://api.pinecone.io';
const URL = `${ORIGIN}/indexes`;
const REQUEST = `GET ${URL}`;
const NAME = 'GET api.pinecone.io/indexes';

function secretOf(ruleId: string): Secret {
  const rule = allRules.find((r) => r.id === ruleId)!;
  const raw = rule.sample('providers.pinecone');
  return new Secret(raw, redact(raw, rule.visiblePrefix));
}

const indexes = {
  indexes: [
    {
      name: 'docs-rag',
      vector_type: 'dense',
      metric: 'cosine',
      dimension: 1536,
      status: { ready: true, state: 'Ready' },
      host: 'docs-rag-govk0nt.svc.aped-4627-b74a.pinecone.io',
      spec: { serverless: { cloud: 'aws', region: 'us-east-1' } },
      deletion_protection: 'disabled',
      tags: null,
    },
  ],
};
const unauthenticated = { error: { code: 'UNAUTHENTICATED', message: 'Invalid API Key' }, status: 401 };
const reply = (secret: Secret, status: number, body: object) => () =>
  nock(ORIGIN)
    .get('/indexes')
    .matchHeader('api-key', secret.reveal())
    .matchHeader('x-pinecone-api-version', PINECONE_API_VERSION)
    .reply(status, body);

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('pinecone.verify', () => {
  const secret = secretOf('pinecone.api-key');

  it.each<VerifyCase>([
    {
      name: 'a key that lists indexes is live',
      reply: reply(secret, 200, indexes),
      verdict: 'live',
      detail: `${NAME} answered 200: the key lists its project's indexes`,
    },
    {
      name: 'a key of a project without indexes is live',
      reply: reply(secret, 200, { indexes: [] }),
      verdict: 'live',
      detail: `${NAME} answered 200: the key lists its project's indexes`,
    },
    {
      name: '401 is dead',
      reply: reply(secret, 401, unauthenticated),
      verdict: 'dead',
      detail: `${NAME} answered 401: the key is not accepted`,
    },
    {
      name: '403 (a key without control-plane permission) proves nothing',
      reply: reply(secret, 403, { error: { code: 'FORBIDDEN', message: 'Forbidden' }, status: 403 }),
      verdict: 'unknown',
      detail: `${NAME} answered 403: not an answer that proves the key live or dead`,
    },
    ...indeterminateCases(URL, {
      error: { code: 'RESOURCE_EXHAUSTED', message: 'Too many requests' },
      status: 429,
    }),
  ])('$name', (row) => runVerifyCase(providers, pinecone, 'pinecone.api-key', secret, row, [REQUEST]));

  describe('legacy UUID keys', () => {
    const legacy = secretOf('pinecone.legacy-api-key');

    it.each<VerifyCase>([
      {
        name: 'a legacy key that lists indexes is live',
        reply: reply(legacy, 200, indexes),
        verdict: 'live',
        detail: `${NAME} answered 200: the key lists its project's indexes`,
      },
      {
        name: 'a 401 for a legacy key proves nothing',
        reply: reply(legacy, 401, unauthenticated),
        verdict: 'unknown',
        detail: `${NAME} answered 401: a legacy key refused by the global control plane, proves nothing`,
      },
    ])('$name', (row) =>
      runVerifyCase(providers, pinecone, 'pinecone.legacy-api-key', legacy, row, [REQUEST]),
    );
  });
});
