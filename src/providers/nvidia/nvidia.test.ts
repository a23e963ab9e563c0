import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { indeterminateCases, runVerifyCase } from '../../../test/support/verify-cases.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { NGC_CALLER_INFO, nvidia } from './index.js';

const rule = allRules.find((r) => r.id === 'nvidia.api-key')!;
const raw = rule.sample('providers.nvidia');
const secret = new Secret(raw, redact(raw, rule.visiblePrefix));
const NGC = 'https://api.ngc.nvidia.com';
const PATH = '/v3/keys/get-caller-info';
const REQUEST = `POST ${NGC}${PATH}`;
const NAME = 'POST api.ngc.nvidia.com/v3/keys/get-caller-info';

/** The form NGC expects: the key as `credentials`, nothing else. */
function withKey(body: Record<string, string>): boolean {
  return Object.keys(body).length === 1 && body['credentials'] === raw;
}

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('nvidia.verify', () => {
  it.each([
    {
      name: 'live: NGC knows the key',
      reply: () =>
        nock(NGC)
          .post(PATH, withKey)
          .reply(200, { user: { id: 1, name: 'Dana' }, orgs: [{ name: 'demo-org' }] }),
      verdict: 'live' as const,
      detail: `${NAME} answered 200: NGC knows the key`,
    },
    {
      name: 'dead: NGC refuses the key',
      reply: () =>
        nock(NGC)
          .post(PATH, withKey)
          .reply(401, { requestStatus: { statusCode: 'UNAUTHORIZED' } }),
      verdict: 'dead' as const,
      detail: `${NAME} answered 401: NGC does not accept the key`,
    },
    ...indeterminateCases(NGC_CALLER_INFO, { requestStatus: { statusCode: 'ERROR' } }, 'POST'),
  ])('$name', (row) => runVerifyCase(providers, nvidia, 'nvidia.api-key', secret, row, [REQUEST]));

  it('sends the key in the form body, never in the URL or a header', async () => {
    nock(NGC).post(PATH, withKey).reply(200, {});

    await nvidia.verify(secret, 'nvidia.api-key', providers.context());

    const [sent] = providers.requests();
    expect(sent!.path).toBe(PATH);
    expect(Object.values(sent!.headers).join(' ')).not.toContain(raw);
    expect(sent!.body).toBe(new URLSearchParams({ credentials: raw }).toString());
    providers.done();
  });

  it('has no revoke: owners get the manual key page', () => {
    expect(nvidia.revoke).toBeUndefined();
    expect(rule.revokeUrl).toBe('https://org.ngc.nvidia.com/setup/api-keys');
  });
});
