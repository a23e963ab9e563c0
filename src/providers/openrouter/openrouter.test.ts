import nock from 'nock';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { indeterminateCases, runVerifyCase, type VerifyCase } from '../../../test/support/verify-cases.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { openrouter } from './index.js';

const ORIGIN = 'https://openrouter.ai';
const URL = `${ORIGIN}/api/v1/key`;
const REQUEST = `GET ${URL}`;
const NAME = 'GET openrouter.ai/api/v1/key';
const rule = allRules.find((r) => r.id === 'openrouter.api-key')!;
const raw = rule.sample('providers.openrouter');
const secret = new Secret(raw, redact(raw, rule.visiblePrefix));

const currentKey = {
  data: {
    label: `sk-or-v1-${raw.slice(9, 12)}...${raw.slice(-4)}`,
    limit: 100,
    usage: 25.5,
    usage_daily: 25.5,
    usage_weekly: 25.5,
    usage_monthly: 25.5,
    byok_usage: 0,
    is_free_tier: false,
    is_provisioning_key: false,
    limit_remaining: 74.5,
    limit_reset: 'monthly',
    include_byok_in_limit: false,
  },
};

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('openrouter.verify', () => {
  it.each<VerifyCase>([
    {
      name: 'a key that describes itself is live',
      reply: () =>
        nock(ORIGIN).get('/api/v1/key').matchHeader('authorization', `Bearer ${raw}`).reply(200, currentKey),
      verdict: 'live',
      detail: `${NAME} answered 200: the key describes itself`,
    },
    {
      name: '401 is dead',
      reply: () =>
        nock(ORIGIN)
          .get('/api/v1/key')
          .reply(401, { error: { message: 'User not found.', code: 401 } }),
      verdict: 'dead',
      detail: `${NAME} answered 401: the key is not accepted`,
    },
    ...indeterminateCases(URL, { error: { message: 'Rate limit exceeded', code: 429 } }),
  ])('$name', (row) => runVerifyCase(providers, openrouter, 'openrouter.api-key', secret, row, [REQUEST]));
});
