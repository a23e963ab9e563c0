import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveAlert } from '../src/alerts/store.js';
import { parseAlert } from '../src/github/secret-scanning.js';
import { testBackends } from '../src/inventory/testing.js';
import type { ProviderHttp } from '../src/providers/http.js';
import { allRules } from '../src/rules/registry.js';
import { type AlertFacts, alertResponse, updatedAlertResponse } from './support/alert-payloads.js';
import { databaseDump, startTestApp, type TestApp } from './support/app.js';
import {
  commentPayload,
  deliveryId,
  FULL_NAME,
  installationId,
  mockCodeowners,
  mockComment,
  mockConfig,
  mockRefresh,
  mockRefreshUpdate,
  owner,
  REPO,
  REPO_ID,
  name as repoName,
  type Seeded,
  type Sent,
  seed,
  seededText,
  shaOf,
} from './support/commands.js';
import { type GithubMock, githubMock, mockInstallationToken, requestsContaining } from './support/github.js';
import { openapiExample } from './support/openapi.js';
import { adminSecret, type SealedProviders, sealedProviders } from './support/providers.js';

/**
 * Revocation through the provider's API, end to end: `/keywarden confirm` and `/keywarden revoke` as real
 * `issue_comment` deliveries, the revocation job reading the key again from the blob on GitHub (mocked,
 * OpenAPI-checked), and the real OpenAI adapter talking to a mocked api.openai.com (network sealed). The
 * planted key may travel only to OpenAI's own verification endpoint, never anywhere else, and is stored
 * or logged nowhere.
 */

const rule = allRules.find((candidate) => candidate.id === 'openai.project-key')!;
const OPENAI = 'https://api.openai.com';
const PROJECT = 'proj_payments';
const ADMIN_KEY = `sk-admin-${'A1b2C3d4'.repeat(6)}`;

let current: SealedProviders | undefined;
/** The app's provider HTTP: each request goes through the current test's recording client. */
const http: ProviderHttp = {
  request: (request) => {
    if (!current) throw new Error('no provider mock for this test');
    return current.context().http.request(request);
  },
};

function redactedValue(secret: string): string {
  return `${secret.slice(0, 8)}...${secret.slice(-4)}`;
}

function mockBlob(gh: GithubMock, seeded: Seeded, status = 200): void {
  const path = `${REPO}/git/blobs/${seeded.blobSha}`;
  if (status !== 200) {
    const message = status === 403 ? 'Resource not accessible by integration' : 'Not Found';
    gh.api.get(path).reply(status, { message });
    return;
  }
  const example = openapiExample<Record<string, unknown>>(
    'GET',
    '/repos/{owner}/{repo}/git/blobs/{file_sha}',
  );
  const text = `# payments\n${seededText(rule, seeded.secret)}`;
  gh.api.get(path).reply(200, {
    ...example,
    sha: seeded.blobSha,
    size: Buffer.byteLength(text),
    encoding: 'base64',
    content: Buffer.from(text).toString('base64'),
  });
}

function mockVerify(seeded: Seeded, status: 200 | 401): void {
  const scope = nock(OPENAI).get('/v1/models').matchHeader('authorization', `Bearer ${seeded.secret}`);
  if (status === 200) {
    scope.reply(200, {
      object: 'list',
      data: [{ id: 'gpt-4o-mini', object: 'model', created: 1, owned_by: 'system' }],
    });
  } else {
    scope.reply(401, {
      error: {
        message: 'Incorrect API key provided.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
  }
}

function mockKeyListing(seeded: Seeded, extra: Array<{ id: string; redacted_value: string }> = []): void {
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };
  nock(OPENAI, { reqheaders: admin })
    .get('/v1/organization/projects')
    .query(true)
    .reply(200, {
      object: 'list',
      data: [
        {
          id: PROJECT,
          object: 'organization.project',
          name: 'Payments',
          created_at: 1,
          archived_at: null,
          status: 'active',
        },
      ],
      first_id: PROJECT,
      last_id: PROJECT,
      has_more: false,
    });
  const keys = [{ id: 'key_payments', redacted_value: redactedValue(seeded.secret) }, ...extra].map(
    (key) => ({
      object: 'organization.project.api_key',
      name: key.id,
      created_at: 1,
      last_used_at: 2,
      owner: { type: 'service_account', service_account: { id: 'svc_acct_1', name: 'payments' } },
      ...key,
    }),
  );
  nock(OPENAI, { reqheaders: admin })
    .get(`/v1/organization/projects/${PROJECT}/api_keys`)
    .query(true)
    .reply(200, {
      object: 'list',
      data: keys,
      first_id: keys[0]!.id,
      last_id: keys.at(-1)!.id,
      has_more: false,
    });
}

function mockDelete(status: 200 | 503): void {
  const scope = nock(OPENAI, { reqheaders: { authorization: `Bearer ${ADMIN_KEY}` } }).delete(
    `/v1/organization/projects/${PROJECT}/api_keys/key_payments`,
  );
  if (status === 200)
    scope.reply(200, { object: 'organization.project.api_key.deleted', id: 'key_payments', deleted: true });
  else
    scope.reply(503, {
      error: { message: 'The server is overloaded.', type: 'server_error', param: null, code: null },
    });
}

describe.each(testBackends())('revocation through the app on %s', (backend) => {
  let app: TestApp;
  let gh: GithubMock;
  let sent: Sent;

  beforeAll(async () => {
    app = await startTestApp(backend, {
      providers: { http, admin: { openai: { adminKey: adminSecret(ADMIN_KEY) } } },
    });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    gh = githubMock();
    current = sealedProviders();
    mockInstallationToken(gh, installationId);
    sent = { patches: [], comments: [] };
  });
  afterEach(() => {
    current?.restore();
    current = undefined;
    gh.restore();
  });

  async function state(id: number): Promise<string> {
    const { rows } = await app.db.query<{ state: string }>('SELECT state FROM credentials WHERE id = $1', [
      id,
    ]);
    return rows[0]!.state;
  }

  async function kinds(id: number): Promise<string[]> {
    const { rows } = await app.db.query<{ kind: string }>(
      "SELECT kind FROM events WHERE credential_id = $1 AND kind <> 'detected' ORDER BY id",
      [id],
    );
    return rows.map((row) => row.kind);
  }

  /**
   * `/keywarden confirm` by alice (a CODEOWNER) under `policy`: the config (read `configReads` times: by
   * the command and by each job), CODEOWNERS, and the refreshed issue with the reply.
   */
  function mockConfirmUnder(policy: string, seeded: Seeded, configReads: number): void {
    mockConfig(gh, { yaml: `revocation: ${policy}\n`, times: configReads });
    mockCodeowners(gh, seeded.commitSha, '/services/ @alice\n');
    mockRefresh(gh, seeded, sent);
  }

  /** One revocation that works: the blob read, verified live, found, deleted, verified dead, issue refreshed. */
  function mockRevocation(seeded: Seeded): void {
    mockBlob(gh, seeded);
    mockVerify(seeded, 200);
    mockKeyListing(seeded);
    mockDelete(200);
    mockVerify(seeded, 401);
    mockRefresh(gh, seeded, sent, 'confirmed');
  }

  /** alice (a CODEOWNER) comments `body` on the seeded credential's issue; waits for the jobs it causes. */
  function comment(seeded: Seeded, body: string) {
    return app.deliver('issue_comment', commentPayload(seeded, body, 'alice'), deliveryId());
  }

  /** Runs the `verify-credential` job the issue job starts, until the queue is idle; all mocks used. */
  async function verifyAsAfterTheIssueOpened(seeded: Seeded): Promise<void> {
    const before = await app.queue.drain({ timeoutSeconds: 60 });
    await app.queue.send('verify-credential', {
      installationId,
      credentialId: seeded.id,
      deliveryId: `delivery-verify-${seeded.id}`,
    });
    const drained = await app.queue.drain({ timeoutSeconds: 60 });
    expect(drained.failed - before.failed).toBe(0);
    gh.assertDone();
    current!.done();
  }

  async function seedKey(label: string): Promise<Seeded> {
    return seed(app, label, { rule, blobSha: shaOf(`blob-${label}`) });
  }

  /** The planted key went only to OpenAI's verification endpoint, and is nowhere else. */
  async function expectKeyContained(seeded: Seeded, verifications: number): Promise<void> {
    expect(current!.requestsContaining(seeded.secret)).toEqual(
      Array.from({ length: verifications }, () => `GET ${OPENAI}/v1/models`),
    );
    expect(requestsContaining(gh, seeded.secret)).toEqual([]);
    expect(app.logs().join('\n')).not.toContain(seeded.secret);
    expect(sent.comments.join('\n')).not.toContain(seeded.secret);
    expect(JSON.stringify(sent.patches)).not.toContain(seeded.secret);
    expect(await databaseDump(app.db)).not.toContain(seeded.secret);
  }

  it('revokes at OpenAI when a code owner confirms (on-confirm): verify, delete, verify dead, revoked', async () => {
    const seeded = await seedKey('on-confirm');
    mockConfirmUnder('on-confirm', seeded, 2);
    mockRevocation(seeded);

    const result = await comment(seeded, '/keywarden confirm');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    current!.done();
    expect(await state(seeded.id)).toBe('revoked');
    expect(await kinds(seeded.id)).toEqual([
      'state:notified',
      'state:confirmed',
      'revoke:requested',
      'command:confirm',
      'verify:live',
      'revoke:revoked',
      'verify:dead',
      'state:revoked',
      'revoke:announce',
    ]);
    const [confirmed, revoked] = sent.comments;
    expect(confirmed).toContain('keywarden now revokes the key at openai through its API');
    expect(revoked).toContain('**Revoked at openai.**');
    expect(revoked).toContain('as @alice asked');
    expect(revoked).toContain('- After: **dead**');
    expect(revoked).toContain('`/keywarden rotated`');
    expect(sent.patches.at(-1)!['labels']).toContain('state:revoked');
    await expectKeyContained(seeded, 2);
  });

  it('only plans under dry-run: the key is found but not deleted, the credential stays confirmed', async () => {
    const seeded = await seedKey('dry-run');
    mockConfirmUnder('dry-run', seeded, 3);
    await comment(seeded, '/keywarden confirm');
    mockComment(gh, seeded, sent, 2);
    mockBlob(gh, seeded);
    mockVerify(seeded, 200);
    mockKeyListing(seeded);

    const result = await comment(seeded, '/keywarden revoke');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    current!.done();
    expect(await state(seeded.id)).toBe('confirmed');
    expect((await kinds(seeded.id)).slice(-4)).toEqual([
      'revoke:requested',
      'command:revoke',
      'verify:live',
      'revoke:planned',
    ]);
    expect(sent.comments.at(-2)).toContain('shows what it would revoke');
    expect(sent.comments.at(-1)).toContain('**Dry run: nothing was revoked.**');
    expect(sent.comments.at(-1)).toContain('key_payments');
    await expectKeyContained(seeded, 1);
  });

  it('refuses an ambiguous match and leaves the key to the owner', async () => {
    const seeded = await seedKey('ambiguous');
    mockConfirmUnder('on-confirm', seeded, 2);
    mockBlob(gh, seeded);
    mockVerify(seeded, 200);
    mockKeyListing(seeded, [{ id: 'key_twin', redacted_value: redactedValue(seeded.secret) }]);
    mockComment(gh, seeded, sent);

    const result = await comment(seeded, '/keywarden confirm');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    current!.done();
    expect(await state(seeded.id)).toBe('confirmed');
    expect((await kinds(seeded.id)).slice(-2)).toEqual(['verify:live', 'revoke:refused']);
    expect(sent.comments.at(-1)).toContain('keywarden could not revoke');
    expect(sent.comments.at(-1)).toContain(`(${rule.revokeUrl})`);
    await expectKeyContained(seeded, 1);
  });

  it('retries when OpenAI fails, says so once, and revokes on the retry', async () => {
    const seeded = await seedKey('retry');
    mockConfirmUnder('on-confirm', seeded, 3);
    // First attempt: the delete fails with a 503.
    mockBlob(gh, seeded);
    mockVerify(seeded, 200);
    mockKeyListing(seeded);
    mockDelete(503);
    mockComment(gh, seeded, sent);
    // The retry: read, verify, list, delete, verify dead.
    mockRevocation(seeded);

    const result = await comment(seeded, '/keywarden confirm');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    current!.done();
    expect(await state(seeded.id)).toBe('revoked');
    expect((await kinds(seeded.id)).slice(4)).toEqual([
      'verify:live',
      'revoke:failed',
      'verify:live',
      'revoke:revoked',
      'verify:dead',
      'state:revoked',
      'revoke:announce',
    ]);
    expect(sent.comments[1]).toContain('failed:');
    expect(sent.comments[1]).toContain('retries automatically (attempt 1 of');
    expect(sent.comments[2]).toContain('**Revoked at openai.**');
    await expectKeyContained(seeded, 3);
  });

  it('finishes telling the issue on a retry when GitHub failed after the key was revoked, revoking once', async () => {
    const seeded = await seedKey('announce-retry');
    mockConfirmUnder('on-confirm', seeded, 3);
    mockBlob(gh, seeded);
    mockVerify(seeded, 200);
    mockKeyListing(seeded);
    mockDelete(200);
    mockVerify(seeded, 401);
    mockRefreshUpdate(gh, seeded, sent, 'confirmed', 2);
    gh.api.post(`${REPO}/issues/${seeded.issueNumber}/comments`).reply(502, { message: 'Server Error' });
    mockComment(gh, seeded, sent);

    const result = await comment(seeded, '/keywarden confirm');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    current!.done();
    expect(await state(seeded.id)).toBe('revoked');
    expect((await kinds(seeded.id)).filter((kind) => kind.startsWith('revoke:'))).toEqual([
      'revoke:requested',
      'revoke:revoked',
      'revoke:announce',
    ]);
    expect(sent.comments.at(-1)).toContain('**Revoked at openai.**');
    await expectKeyContained(seeded, 2);
  });

  it('tells the issue when GitHub refuses for good while revoking (403 reading the blob), and stops', async () => {
    const seeded = await seedKey('refused-blob');
    mockConfirmUnder('on-confirm', seeded, 2);
    mockBlob(gh, seeded, 403);
    mockComment(gh, seeded, sent);

    const result = await comment(seeded, '/keywarden confirm');

    expect(result).toEqual({ completed: 1, failed: 1 });
    gh.assertDone();
    expect(current!.requests()).toEqual([]);
    expect(await state(seeded.id)).toBe('confirmed');
    expect(sent.comments.at(-1)).toContain(
      'stopped:** GitHub answered 403 while keywarden was working on it.',
    );
    expect(sent.comments.at(-1)).toContain(`(${rule.revokeUrl})`);
    const { rows } = await app.db.query<{ error: string }>(
      "SELECT error FROM dead_letters WHERE job_name = 'revoke-credential' AND (payload->>'credentialId')::int = $1",
      [seeded.id],
    );
    expect(rows).toEqual([{ error: expect.stringContaining('GitHub answered 403') }]);
  });

  it('says so when the key can no longer be read from GitHub, and sends nothing to OpenAI', async () => {
    const seeded = await seedKey('gone');
    mockConfirmUnder('on-confirm', seeded, 2);
    mockBlob(gh, seeded, 404);
    mockComment(gh, seeded, sent);

    const result = await comment(seeded, '/keywarden confirm');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    expect(current!.requests()).toEqual([]);
    expect(await state(seeded.id)).toBe('confirmed');
    expect((await kinds(seeded.id)).at(-1)).toBe('revoke:value-missing');
    expect(sent.comments.at(-1)).toContain('could not read');
    expect(sent.comments.at(-1)).toContain('GitHub answered 404');
  });

  it('verifies a new credential and, under auto-when-live, confirms and revokes a live key by itself', async () => {
    const seeded = await seedKey('auto');
    mockConfig(gh, { yaml: 'revocation: auto-when-live\n', times: 2 });
    mockBlob(gh, seeded);
    mockVerify(seeded, 200);
    mockKeyListing(seeded);
    mockRefresh(gh, seeded, sent);
    mockRevocation(seeded);

    await verifyAsAfterTheIssueOpened(seeded);

    expect(await state(seeded.id)).toBe('revoked');
    expect((await kinds(seeded.id)).slice(1)).toEqual([
      'verify:live',
      'state:confirmed',
      'verify:live',
      'revoke:revoked',
      'verify:dead',
      'state:revoked',
      'revoke:announce',
    ]);
    expect(sent.comments[0]).toContain('`revocation: auto-when-live`');
    expect(String(sent.patches[0]!['body'])).toContain('| Verified at the provider | **live** on ');
    expect(sent.comments[1]).toContain('**Revoked at openai.**');
    expect(sent.comments[1]).not.toContain('as @');
    const { rows } = await app.db.query<{ key_id: string; scope: string | null }>(
      'SELECT key_id, scope FROM provider_keys WHERE credential_id = $1',
      [seeded.id],
    );
    expect(rows).toEqual([{ key_id: 'key_payments', scope: PROJECT }]);
    await expectKeyContained(seeded, 3);
  });

  it('reads the key from its GitHub alert when the commit is gone, and resolves its alerts as revoked', async () => {
    const seeded = await seedKey('alerts');
    const repo = { owner, name: repoName, id: REPO_ID };
    const facts: AlertFacts[] = [
      { number: 7, secretType: 'openai_api_key', createdAt: '2025-04-01T10:00:00Z' },
      { number: 8, secretType: 'openai_api_key', createdAt: '2025-04-02T10:00:00Z' },
    ];
    for (const fact of facts) {
      const { secret: _dropped, ...alert } = parseAlert(alertResponse(repo, fact, seeded.secret));
      await saveAlert(app.db, seeded.id, { installationId, repoId: REPO_ID, repo: FULL_NAME }, alert);
    }
    mockConfirmUnder('on-confirm', seeded, 2);
    mockBlob(gh, seeded, 404);
    gh.api.get(`${REPO}/secret-scanning/alerts/7`).reply(200, alertResponse(repo, facts[0]!, seeded.secret));
    mockVerify(seeded, 200);
    mockKeyListing(seeded);
    mockDelete(200);
    mockVerify(seeded, 401);
    const patched: unknown[] = [];
    const issueUrl = `https://github.com/${FULL_NAME}/issues/${seeded.issueNumber}`;
    const resolved = {
      state: 'resolved' as const,
      resolution: 'revoked' as const,
      resolvedBy: 'keywarden[bot]',
    };
    gh.api
      .patch(`${REPO}/secret-scanning/alerts/7`, (body) => patched.push(body) > 0)
      .reply(200, updatedAlertResponse(repo, { ...facts[0]!, ...resolved }, seeded.secret));
    gh.api
      .patch(`${REPO}/secret-scanning/alerts/8`, (body) => patched.push(body) > 0)
      .reply(403, { message: 'Delegated alert dismissal is enabled: a reviewer must approve' });
    mockRefresh(gh, seeded, sent, 'confirmed');

    const result = await comment(seeded, '/keywarden confirm');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    current!.done();
    expect(await state(seeded.id)).toBe('revoked');
    expect(patched).toEqual([
      { state: 'resolved', resolution: 'revoked', resolution_comment: `keywarden: ${issueUrl}` },
      { state: 'resolved', resolution: 'revoked', resolution_comment: `keywarden: ${issueUrl}` },
    ]);
    expect((await kinds(seeded.id)).slice(-7)).toEqual([
      'verify:live',
      'revoke:revoked',
      'verify:dead',
      'state:revoked',
      'revoke:announce',
      'alert:resolved-by-keywarden',
      'alert:resolve-refused',
    ]);
    const revoked = sent.comments.at(-1)!;
    expect(revoked).toContain('**Revoked at openai.**');
    expect(revoked).toContain(`Resolved as revoked on GitHub: secret scanning alert [#7]`);
    expect(revoked).toContain('[#8]');
    expect(revoked).toContain('could not be resolved by keywarden (GitHub answered 403');
    await expectKeyContained(seeded, 2);
  });

  it('under revocation: off, only looks up the key id with the admin key: the key goes nowhere', async () => {
    const seeded = await seedKey('off-identify');
    mockConfig(gh);
    mockBlob(gh, seeded);
    mockKeyListing(seeded);

    await verifyAsAfterTheIssueOpened(seeded);

    expect(await state(seeded.id)).toBe('notified');
    expect((await kinds(seeded.id)).slice(1)).toEqual(['provider-key:identified']);
    const { rows } = await app.db.query('SELECT key_id, scope FROM provider_keys WHERE credential_id = $1', [
      seeded.id,
    ]);
    expect(rows).toEqual([{ key_id: 'key_payments', scope: PROJECT }]);
    expect(sent.comments).toEqual([]);
    await expectKeyContained(seeded, 0);
  });
});
