import nock from 'nock';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { indeterminateCases, runVerifyCase, type VerifyCase } from '../../../test/support/verify-cases.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { huggingface } from './index.js';

const URL = 'https://huggingface.co/api/whoami-v2';
const REQUEST = `GET ${URL}`;
const NAME = 'GET huggingface.co/api/whoami-v2';

function secretOf(ruleId: string): Secret {
  const rule = allRules.find((r) => r.id === ruleId)!;
  const raw = rule.sample('providers.huggingface');
  return new Secret(raw, redact(raw, rule.visiblePrefix));
}

const user = {
  type: 'user',
  id: '62f264b9f3c90f4b6514a269',
  name: 'ml-ci-bot',
  fullname: 'ML CI bot',
  email: 'ml-ci@example.com',
  emailVerified: true,
  isPro: false,
  canPay: false,
  periodEnd: null,
  avatarUrl: '/avatars/934b830e9fdaa879487852f79eef7165.svg',
  orgs: [],
  auth: {
    type: 'access_token',
    accessToken: { displayName: 'ci-read', role: 'read', createdAt: '2025-01-10T09:00:00.000Z' },
  },
};

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('huggingface.verify', () => {
  const secret = secretOf('huggingface.user-token');

  it.each<VerifyCase>([
    {
      name: 'a token the Hub knows is live',
      reply: () =>
        nock('https://huggingface.co')
          .get('/api/whoami-v2')
          .matchHeader('authorization', `Bearer ${secret.reveal()}`)
          .reply(200, user),
      verdict: 'live',
      detail: `${NAME} answered 200: the Hub knows whose token it is`,
    },
    {
      name: '401 is dead',
      reply: () =>
        nock('https://huggingface.co')
          .get('/api/whoami-v2')
          .reply(401, { error: 'Invalid credentials in Authorization header' }),
      verdict: 'dead',
      detail: `${NAME} answered 401: the Hub does not accept the token`,
    },
    {
      name: '403 proves nothing',
      reply: () => nock('https://huggingface.co').get('/api/whoami-v2').reply(403, { error: 'Forbidden' }),
      verdict: 'unknown',
      detail: `${NAME} answered 403: not an answer that proves the key live or dead`,
    },
    ...indeterminateCases(URL, { error: 'Something went wrong' }),
  ])('$name', (row) =>
    runVerifyCase(providers, huggingface, 'huggingface.user-token', secret, row, [REQUEST]),
  );

  it('verifies an organisation token the same way', async () => {
    const orgToken = secretOf('huggingface.org-token');
    const row: VerifyCase = {
      name: 'org token',
      reply: () =>
        nock('https://huggingface.co').get('/api/whoami-v2').reply(200, {
          type: 'org',
          id: '5e67bd5b1009063689407478',
          name: 'acme-ml',
          fullname: 'Acme ML',
          email: null,
          canPay: true,
          avatarUrl: '/avatars/acme.svg',
          periodEnd: null,
        }),
      verdict: 'live',
      detail: `${NAME} answered 200: the Hub knows whose token it is`,
    };

    await runVerifyCase(providers, huggingface, 'huggingface.org-token', orgToken, row, [REQUEST]);
  });
});
