import nock from 'nock';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { indeterminateCases, runVerifyCase, type VerifyCase } from '../../../test/support/verify-cases.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { replicate } from './index.js';

const ORIGIN = 'https://api.replicate.com';
const URL = `${ORIGIN}/v1/account`;
const REQUEST = `GET ${URL}`;
const NAME = 'GET api.replicate.com/v1/account';
const rule = allRules.find((r) => r.id === 'replicate.api-token')!;
const raw = rule.sample('providers.replicate');
const secret = new Secret(raw, redact(raw, rule.visiblePrefix));

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('replicate.verify', () => {
  it.each<VerifyCase>([
    {
      name: 'a token that names its account is live',
      reply: () =>
        nock(ORIGIN).get('/v1/account').matchHeader('authorization', `Bearer ${raw}`).reply(200, {
          type: 'organization',
          username: 'acme',
          name: 'Acme Corp, Inc.',
          github_url: 'https://github.com/acme',
        }),
      verdict: 'live',
      detail: `${NAME} answered 200: the token names its account`,
    },
    {
      name: '401 is dead',
      reply: () =>
        nock(ORIGIN).get('/v1/account').reply(401, {
          title: 'Unauthenticated',
          detail: 'You did not pass a valid authentication token',
          status: 401,
        }),
      verdict: 'dead',
      detail: `${NAME} answered 401: the token is not accepted`,
    },
    ...indeterminateCases(URL, { title: 'Too many requests', detail: 'Request was throttled.', status: 429 }),
  ])('$name', (row) => runVerifyCase(providers, replicate, 'replicate.api-token', secret, row, [REQUEST]));
});
