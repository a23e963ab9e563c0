import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminSecret, type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { accessKeyId, secretAccessKey } from '../../rules/aws/access-keys.js';
import { allRules } from '../../rules/registry.js';
import type { AdminCredentials } from '../types.js';
import { createAwsAdapter, NO_AWS_ADMIN } from './index.js';

const IAM = 'https://iam.amazonaws.com';
const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const rawKeyId = allRules.find((rule) => rule.id === 'aws.access-key-id')!.sample('providers.aws');
const leaked = new Secret(rawKeyId, redact(rawKeyId));
const otherKeyId = accessKeyId('providers.aws:other');
const adminKeyId = accessKeyId('providers.aws:admin');
const rawAdminSecret = secretAccessKey('providers.aws:admin');
const admin: AdminCredentials = {
  aws: { accessKeyId: adminKeyId, secretAccessKey: adminSecret(rawAdminSecret), region: 'eu-west-1' },
};
const adapter = createAwsAdapter({ timeoutMs: 150 });

/** One IAM query-API call as nock saw it. */
interface IamCall {
  action: string;
  body: string;
  authorization: string;
}

let providers: SealedProviders;
let calls: IamCall[];
beforeEach(() => {
  providers = sealedProviders();
  calls = [];
});
afterEach(() => providers.restore());

/** Answers the next IAM call of `action` (form-encoded POST to `/`, as the query API takes it). */
function iam(action: string, status: number, xml: string, delayMs = 0) {
  const scope = nock(IAM)
    .post('/', (body: Record<string, string>) => body.Action === action)
    .delay(delayMs)
    .reply(function (_uri, body) {
      calls.push({ action, body: String(body), authorization: String(this.req.headers.authorization) });
      return [status, xml, { 'content-type': 'text/xml' }];
    });
  return scope;
}

const requestId =
  '<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8e00000000</RequestId></ResponseMetadata>';

const lastUsed = (user: string) =>
  `<GetAccessKeyLastUsedResponse xmlns="${XMLNS}"><GetAccessKeyLastUsedResult><AccessKeyLastUsed>` +
  '<Region>us-east-1</Region><LastUsedDate>2025-05-30T10:45:00Z</LastUsedDate><ServiceName>bedrock</ServiceName>' +
  `</AccessKeyLastUsed><UserName>${user}</UserName></GetAccessKeyLastUsedResult>${requestId}</GetAccessKeyLastUsedResponse>`;

const keyList = (keys: { id: string; status: string }[]) =>
  `<ListAccessKeysResponse xmlns="${XMLNS}"><ListAccessKeysResult><UserName>ci-bot</UserName><AccessKeyMetadata>${keys
    .map(
      (k) =>
        `<member><UserName>ci-bot</UserName><AccessKeyId>${k.id}</AccessKeyId><Status>${k.status}</Status>` +
        '<CreateDate>2024-01-09T06:16:00Z</CreateDate></member>',
    )
    .join(
      '',
    )}</AccessKeyMetadata><IsTruncated>false</IsTruncated></ListAccessKeysResult>${requestId}</ListAccessKeysResponse>`;

const updated = `<UpdateAccessKeyResponse xmlns="${XMLNS}">${requestId}</UpdateAccessKeyResponse>`;

/** An IAM error; the message quotes the key, as IAM's messages do, to prove it never reaches a detail. */
const iamError = (code: string, type = 'Sender') =>
  `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code>` +
  `<Message>access key ${rawKeyId} cannot be used for ${code}</Message></Error>` +
  '<RequestId>4c1a0b7e-0000-4000-8000-000000000000</RequestId></ErrorResponse>';

/** The calls that carried the leaked key id, by action. */
const callsWithKey = () =>
  calls.filter((c) => c.body.includes(rawKeyId) || c.authorization.includes(rawKeyId));

describe('aws.verify', () => {
  it.each([
    {
      name: 'an Active key is live',
      mocks: () => [
        iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot')),
        iam(
          'ListAccessKeys',
          200,
          keyList([
            { id: otherKeyId, status: 'Active' },
            { id: rawKeyId, status: 'Active' },
          ]),
        ),
      ],
      verdict: 'live',
      detail: 'IAM ListAccessKeys: the key is Active',
    },
    {
      name: 'an Inactive key is dead',
      mocks: () => [
        iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot')),
        iam('ListAccessKeys', 200, keyList([{ id: rawKeyId, status: 'Inactive' }])),
      ],
      verdict: 'dead',
      detail: 'IAM ListAccessKeys: the key is Inactive',
    },
    {
      name: "a key missing from its user's list",
      mocks: () => [
        iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot')),
        iam('ListAccessKeys', 200, keyList([{ id: otherKeyId, status: 'Active' }])),
      ],
      verdict: 'unknown',
      detail: "IAM ListAccessKeys: the key is not among its user's keys",
    },
    {
      name: 'a key of another account (AccessDenied)',
      mocks: () => [iam('GetAccessKeyLastUsed', 403, iamError('AccessDenied'))],
      verdict: 'unknown',
      detail: 'IAM GetAccessKeyLastUsed answered 403 (AccessDenied)',
    },
    {
      name: 'an unknown user (NoSuchEntity)',
      mocks: () => [
        iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot')),
        iam('ListAccessKeys', 404, iamError('NoSuchEntity')),
      ],
      verdict: 'unknown',
      detail: 'IAM ListAccessKeys answered 404 (NoSuchEntityException)',
    },
    {
      name: 'throttled',
      mocks: () => [iam('GetAccessKeyLastUsed', 400, iamError('Throttling'))],
      verdict: 'unknown',
      detail: 'IAM GetAccessKeyLastUsed answered 400 (Throttling)',
    },
    {
      name: '429',
      mocks: () => [iam('GetAccessKeyLastUsed', 429, iamError('TooManyRequests'))],
      verdict: 'unknown',
      detail: 'IAM GetAccessKeyLastUsed answered 429 (TooManyRequests)',
    },
    {
      name: '5xx',
      mocks: () => [iam('GetAccessKeyLastUsed', 500, iamError('ServiceFailure', 'Receiver'))],
      verdict: 'unknown',
      detail: 'IAM GetAccessKeyLastUsed answered 500 (ServiceFailureException)',
    },
    {
      name: '400',
      mocks: () => [iam('GetAccessKeyLastUsed', 400, iamError('InvalidInput'))],
      verdict: 'unknown',
      detail: 'IAM GetAccessKeyLastUsed answered 400 (InvalidInputException)',
    },
    {
      name: 'no answer in time',
      mocks: () => [iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot'), 1_000)],
      verdict: 'unknown',
      detail: 'IAM GetAccessKeyLastUsed: no answer in time',
    },
    {
      name: 'malformed XML',
      mocks: () => [iam('GetAccessKeyLastUsed', 200, '<GetAccessKeyLastUsedResponse><GetAccessKey')],
      verdict: 'unknown',
      detail: 'IAM GetAccessKeyLastUsed answered 200 (Error)',
    },
    {
      name: 'a redirect to another host (not followed)',
      mocks: () => [
        nock(IAM)
          .post('/')
          .reply(function (_uri, body) {
            calls.push({
              action: 'redirect',
              body: String(body),
              authorization: String(this.req.headers.authorization),
            });
            return [307, '', { location: 'https://iam.example.test/' }];
          }),
      ],
      verdict: 'unknown',
      detail: 'IAM GetAccessKeyLastUsed answered 307 (Unknown)',
    },
  ])('$name', async ({ mocks, verdict, detail }) => {
    mocks();

    const result = await adapter.verify(leaked, 'aws.access-key-id', providers.context(admin));

    expect(result).toEqual({ verdict, detail });
    expect(result.detail).not.toContain(rawKeyId);
    expect(callsWithKey().map((c) => c.action)).toEqual(calls.length > 0 ? [calls[0]!.action] : []);
    for (const call of calls) {
      expect(call.authorization).toContain(`Credential=${adminKeyId}/`);
      expect(call.authorization).not.toContain(rawAdminSecret);
    }
    providers.done();
  });

  it('without admin credentials answers unknown and sends nothing', async () => {
    const result = await adapter.verify(leaked, 'aws.access-key-id', providers.context());

    expect(result).toEqual({ verdict: 'unknown', detail: `${NO_AWS_ADMIN}: IAM cannot be asked` });
    expect(calls).toEqual([]);
    providers.done();
  });

  it('signs with the admin credentials only, whatever the environment and ~/.aws say', async () => {
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = accessKeyId('providers.aws:env');
    process.env.AWS_SECRET_ACCESS_KEY = secretAccessKey('providers.aws:env');
    process.env.AWS_ENDPOINT_URL_IAM = 'https://iam.example.test';
    process.env.AWS_ENDPOINT_URL = 'https://aws.example.test';
    process.env.AWS_USE_FIPS_ENDPOINT = 'true';
    process.env.AWS_CONFIG_FILE = '/nonexistent/keywarden-test-config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/keywarden-test-credentials';
    iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot'));
    iam('ListAccessKeys', 200, keyList([{ id: rawKeyId, status: 'Active' }]));

    try {
      const result = await adapter.verify(leaked, 'aws.access-key-id', providers.context(admin));

      expect(result.verdict).toBe('live');
      expect(
        calls.map((c) => c.authorization.match(/Credential=([A-Z0-9]+)\/\d{8}\/us-east-1\/iam\//)?.[1]),
      ).toEqual([adminKeyId, adminKeyId]);
      providers.done();
    } finally {
      process.env = saved;
    }
  });
});

describe('aws.revoke', () => {
  it.each([
    {
      name: 'dry run: finds the owner, changes nothing',
      dryRun: true,
      mocks: () => [iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot'))],
      outcome: {
        kind: 'planned',
        detail: `would set the access key ${leaked.redacted} of IAM user ci-bot to Inactive`,
      },
      actions: ['GetAccessKeyLastUsed'],
    },
    {
      name: 'deactivates the key',
      dryRun: false,
      mocks: () => [
        iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot')),
        iam('UpdateAccessKey', 200, updated),
      ],
      outcome: {
        kind: 'revoked',
        detail: `set the access key ${leaked.redacted} of IAM user ci-bot to Inactive; delete it once its replacement is in use`,
      },
      actions: ['GetAccessKeyLastUsed', 'UpdateAccessKey'],
    },
    {
      name: 'a key of another account is refused',
      dryRun: false,
      mocks: () => [iam('GetAccessKeyLastUsed', 403, iamError('AccessDenied'))],
      outcome: { kind: 'refused', detail: 'IAM GetAccessKeyLastUsed answered 403 (AccessDenied)' },
      actions: ['GetAccessKeyLastUsed'],
    },
    {
      name: 'no permission to deactivate is refused',
      dryRun: false,
      mocks: () => [
        iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot')),
        iam('UpdateAccessKey', 403, iamError('AccessDenied')),
      ],
      outcome: { kind: 'refused', detail: 'IAM UpdateAccessKey answered 403 (AccessDenied)' },
      actions: ['GetAccessKeyLastUsed', 'UpdateAccessKey'],
    },
    {
      name: 'a 5xx fails (retry later)',
      dryRun: false,
      mocks: () => [
        iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot')),
        iam('UpdateAccessKey', 500, iamError('ServiceFailure', 'Receiver')),
      ],
      outcome: { kind: 'failed', detail: 'IAM UpdateAccessKey answered 500 (ServiceFailureException)' },
      actions: ['GetAccessKeyLastUsed', 'UpdateAccessKey'],
    },
    {
      name: 'throttling fails (retry later)',
      dryRun: false,
      mocks: () => [iam('GetAccessKeyLastUsed', 400, iamError('Throttling'))],
      outcome: { kind: 'failed', detail: 'IAM GetAccessKeyLastUsed answered 400 (Throttling)' },
      actions: ['GetAccessKeyLastUsed'],
    },
    {
      name: 'a timeout fails (retry later)',
      dryRun: false,
      mocks: () => [
        iam('GetAccessKeyLastUsed', 200, lastUsed('ci-bot')),
        iam('UpdateAccessKey', 200, updated, 1_000),
      ],
      outcome: { kind: 'failed', detail: 'IAM UpdateAccessKey: no answer in time' },
      actions: ['GetAccessKeyLastUsed', 'UpdateAccessKey'],
    },
  ])('$name', async ({ dryRun, mocks, outcome, actions }) => {
    mocks();

    const result = await adapter.revoke!(leaked, 'aws.access-key-id', providers.context(admin), { dryRun });

    expect(result).toEqual(outcome);
    expect(JSON.stringify(result)).not.toContain(rawKeyId);
    expect(calls.map((c) => c.action)).toEqual(actions);
    expect(callsWithKey().map((c) => c.action)).toEqual(actions);
    if (actions.includes('UpdateAccessKey')) {
      expect(Object.fromEntries(new URLSearchParams(calls[1]!.body))).toMatchObject({
        Action: 'UpdateAccessKey',
        UserName: 'ci-bot',
        AccessKeyId: rawKeyId,
        Status: 'Inactive',
      });
    }
    providers.done();
  });

  it('without admin credentials is refused, naming the settings, and sends nothing', async () => {
    const result = await adapter.revoke!(leaked, 'aws.access-key-id', providers.context(), { dryRun: false });

    expect(result).toEqual({ kind: 'refused', detail: NO_AWS_ADMIN });
    expect(result.detail).toContain('KEYWARDEN_AWS_ACCESS_KEY_ID');
    expect(calls).toEqual([]);
    providers.done();
  });
});
