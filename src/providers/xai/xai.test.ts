import nock from 'nock';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { indeterminateCases, runVerifyCase, type VerifyCase } from '../../../test/support/verify-cases.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { xai } from './index.js';

const ORIGIN = 'https://api.x.ai';
const URL = `${ORIGIN}/v1/api-key`;
const REQUEST = `GET ${URL}`;
const NAME = 'GET api.x.ai/v1/api-key';
const rule = allRules.find((r) => r.id === 'xai.api-key')!;
const raw = rule.sample('providers.xai');
const secret = new Secret(raw, redact(raw, rule.visiblePrefix));

/** The documented `GET /v1/api-key` answer, with the status flags to vary. */
const apiKey = (
  flags: { api_key_blocked?: boolean; api_key_disabled?: boolean; team_blocked?: boolean } = {},
) => ({
  redacted_api_key: `xai-...${raw.slice(-4)}`,
  user_id: '59fbe5f2-040b-46d5-8325-868bb8f23eb2',
  name: 'ci',
  create_time: '2025-01-01T12:55:18.139305Z',
  modify_time: '2025-03-28T17:20:12.343321Z',
  modified_by: '3d38b4dc-4eb7-4785-ae26-c3fa8997ffc7',
  team_id: '5ea6f6bd-7815-4b8a-9135-28b2d7ba6722',
  acls: ['api-key:model:*', 'api-key:endpoint:*'],
  api_key_id: 'ae1e1841-4326-4b36-a8a9-8a1a7237db11',
  team_blocked: false,
  api_key_blocked: false,
  api_key_disabled: false,
  ...flags,
});
const reply = (status: number, body: object) => () =>
  nock(ORIGIN).get('/v1/api-key').matchHeader('authorization', `Bearer ${raw}`).reply(status, body);

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('xai.verify', () => {
  it.each<VerifyCase>([
    {
      name: 'an enabled key is live',
      reply: reply(200, apiKey()),
      verdict: 'live',
      detail: `${NAME} answered 200: the key is enabled`,
    },
    {
      name: 'a blocked key is dead',
      reply: reply(200, apiKey({ api_key_blocked: true })),
      verdict: 'dead',
      detail: `${NAME} answered 200: the key is blocked`,
    },
    {
      name: 'a disabled key is dead',
      reply: reply(200, apiKey({ api_key_disabled: true })),
      verdict: 'dead',
      detail: `${NAME} answered 200: the key is disabled`,
    },
    {
      name: 'a blocked team proves nothing about the key',
      reply: reply(200, apiKey({ team_blocked: true })),
      verdict: 'unknown',
      detail: `${NAME} answered 200: the key is enabled but its team is blocked`,
    },
    {
      name: '400 "Incorrect API key provided" is dead',
      reply: reply(400, {
        code: 'Client specified an invalid argument',
        error: `Incorrect API key provided: xa***${raw.slice(-2)}. You can obtain an API key from https://console.x.ai.`,
      }),
      verdict: 'dead',
      detail: `${NAME} answered 400: incorrect API key`,
    },
    {
      name: '401 is dead',
      reply: reply(401, { code: 'Unauthenticated', error: 'Invalid bearer token' }),
      verdict: 'dead',
      detail: `${NAME} answered 401: the key is not accepted`,
    },
    {
      name: '403 proves nothing',
      reply: reply(403, {
        code: 'Permission denied',
        error: 'The caller does not have permission to execute the specified operation.',
      }),
      verdict: 'unknown',
      detail: `${NAME} answered 403: not an answer that proves the key live or dead`,
    },
    ...indeterminateCases(URL, { code: 'Client specified an invalid argument', error: 'Invalid request' }),
  ])('$name', (row) => runVerifyCase(providers, xai, 'xai.api-key', secret, row, [REQUEST]));
});
