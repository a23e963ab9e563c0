import nock from 'nock';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { indeterminateCases, runVerifyCase, type VerifyCase } from '../../../test/support/verify-cases.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { langsmith } from './index.js';

const US = 'https://api.smith.langchain.com';
const EU = 'https://eu.api.smith.langchain.com';
const US_REQUEST = `GET ${US}/api/v1/workspaces`;
const EU_REQUEST = `GET ${EU}/api/v1/workspaces`;
const US_NAME = 'GET api.smith.langchain.com/api/v1/workspaces';
const EU_NAME = 'GET eu.api.smith.langchain.com/api/v1/workspaces';
const rule = allRules.find((r) => r.id === 'langsmith.api-key')!;
const raw = rule.sample('providers.langsmith');
const secret = new Secret(raw, redact(raw, rule.visiblePrefix));

const workspaces = [
  {
    id: '1f0c4a7e-3b2d-4c5e-9f8a-7b6c5d4e3f2a',
    organization_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    display_name: 'Workspace 1',
    created_at: '2025-02-11T09:30:00.000000',
    tenant_handle: null,
    is_personal: false,
    role_id: '4b3c2d1e-0f9a-4b8c-9d7e-6f5a4b3c2d1e',
    role_name: 'Admin',
    read_only: false,
  },
];
const invalid = { detail: 'Invalid token' };
const workspacesOf = (origin: string) => nock(origin).get('/api/v1/workspaces').matchHeader('x-api-key', raw);

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('langsmith.verify', () => {
  it.each<VerifyCase & { sent: string[] }>([
    {
      name: 'a US key that lists its workspaces is live',
      reply: () => workspacesOf(US).reply(200, workspaces),
      verdict: 'live',
      detail: `${US_NAME} answered 200: the key lists its workspaces`,
      sent: [US_REQUEST],
    },
    {
      name: 'an EU key (401 in the US region) is live',
      reply: () => [workspacesOf(US).reply(401, invalid), workspacesOf(EU).reply(200, workspaces)],
      verdict: 'live',
      detail: `${EU_NAME} answered 200: the key lists its workspaces`,
      sent: [US_REQUEST, EU_REQUEST],
    },
    {
      name: 'a key both regions refuse is dead',
      reply: () => [workspacesOf(US).reply(401, invalid), workspacesOf(EU).reply(401, invalid)],
      verdict: 'dead',
      detail: `${US_NAME} answered 401: the key is not accepted; ${EU_NAME} answered 401: the key is not accepted`,
      sent: [US_REQUEST, EU_REQUEST],
    },
    {
      name: 'refused in the US, no answer from the EU, proves nothing',
      reply: () => [
        workspacesOf(US).reply(401, invalid),
        workspacesOf(EU).delay(1_000).reply(200, workspaces),
      ],
      verdict: 'unknown',
      detail: `${US_NAME} answered 401: the key is not accepted; ${EU_NAME}: no answer in time`,
      sent: [US_REQUEST, EU_REQUEST],
    },
    {
      name: '403 proves nothing',
      reply: () => workspacesOf(US).reply(403, { detail: 'Forbidden' }),
      verdict: 'unknown',
      detail: `${US_NAME} answered 403: not an answer that proves the key live or dead`,
      sent: [US_REQUEST],
    },
    ...indeterminateCases(`${US}/api/v1/workspaces`, { detail: 'Too many requests' }).map((row) => ({
      ...row,
      sent: [US_REQUEST],
    })),
  ])('$name', ({ sent, ...row }) =>
    runVerifyCase(providers, langsmith, 'langsmith.api-key', secret, row, sent),
  );
});
