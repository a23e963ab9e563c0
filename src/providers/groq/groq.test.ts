import nock from 'nock';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { indeterminateCases, runVerifyCase, type VerifyCase } from '../../../test/support/verify-cases.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { groq } from './index.js';

const ORIGIN = 'https://api.groq.com';
const URL = `${ORIGIN}/openai/v1/models`;
const REQUEST = `GET ${URL}`;
const NAME = 'GET api.groq.com/openai/v1/models';
const rule = allRules.find((r) => r.id === 'groq.api-key')!;
const raw = rule.sample('providers.groq');
const secret = new Secret(raw, redact(raw, rule.visiblePrefix));

const models = {
  object: 'list',
  data: [
    {
      id: 'llama-3.3-70b-versatile',
      object: 'model',
      created: 1733447754,
      owned_by: 'Meta',
      active: true,
      context_window: 131072,
      public_apps: null,
    },
  ],
};
const groqError = (message: string, type: string, code?: string) => ({
  error: { message, type, ...(code ? { code } : {}) },
});

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('groq.verify', () => {
  it.each<VerifyCase>([
    {
      name: 'a key that lists models is live',
      reply: () =>
        nock(ORIGIN)
          .get('/openai/v1/models')
          .matchHeader('authorization', `Bearer ${raw}`)
          .reply(200, models),
      verdict: 'live',
      detail: `${NAME} answered 200: the key lists models`,
    },
    {
      name: '401 invalid_api_key is dead',
      reply: () =>
        nock(ORIGIN)
          .get('/openai/v1/models')
          .reply(401, groqError('Invalid API Key', 'invalid_request_error', 'invalid_api_key')),
      verdict: 'dead',
      detail: `${NAME} answered 401: invalid_api_key`,
    },
    {
      name: 'a 401 without invalid_api_key proves nothing',
      reply: () =>
        nock(ORIGIN)
          .get('/openai/v1/models')
          .reply(401, groqError('Organization restricted', 'invalid_request_error')),
      verdict: 'unknown',
      detail: `${NAME} answered 401: not an answer that proves the key live or dead`,
    },
    ...indeterminateCases(URL, groqError('Rate limit reached', 'requests', 'rate_limit_exceeded')),
  ])('$name', (row) => runVerifyCase(providers, groq, 'groq.api-key', secret, row, [REQUEST]));
});
