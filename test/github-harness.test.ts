import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  captureLog,
  type GithubMock,
  githubMock,
  installationOctokit,
  mockInstallationToken,
  requestsContaining,
  testInstallationToken,
  testProbot,
  webhookExample,
} from './support/github.js';
import { findOperation, openapiExample, validateRequest, validateResponse } from './support/openapi.js';

const SHA = 'ce587453ced02b1526dfb4cb910479d431683101';

describe('validateRequest (GitHub OpenAPI description)', () => {
  it('accepts a documented request and names its operation', () => {
    const verdict = validateRequest({
      method: 'POST',
      path: '/repos/octo/hello/check-runs',
      body: JSON.stringify({ name: 'keywarden', head_sha: SHA, status: 'in_progress' }),
    });

    expect(verdict).toEqual({
      ok: true,
      operation: {
        operationId: 'checks/create',
        method: 'POST',
        template: '/repos/{owner}/{repo}/check-runs',
        pathParams: { owner: 'octo', repo: 'hello' },
      },
    });
  });

  it('rejects a check run conclusion GitHub does not know', () => {
    const verdict = validateRequest({
      method: 'PATCH',
      path: '/repos/octo/hello/check-runs/4',
      body: JSON.stringify({ conclusion: 'passed' }),
    });

    expect(verdict.ok).toBe(false);
    expect(verdict.ok === false && verdict.status).toBe(422);
    expect(verdict.ok === false && verdict.errors).toContain(
      'body/conclusion must be one of: action_required, cancelled, failure, neutral, success, skipped, stale, timed_out',
    );
  });

  it('rejects more than 50 annotations in one request', () => {
    const annotation = { path: 'a', start_line: 1, end_line: 1, annotation_level: 'failure', message: 'm' };
    const verdict = validateRequest({
      method: 'PATCH',
      path: '/repos/octo/hello/check-runs/4',
      body: JSON.stringify({ output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) } }),
    });

    expect(verdict.ok === false && verdict.errors).toEqual([
      'body/output/annotations must NOT have more than 50 items',
    ]);
  });

  it('rejects an unknown path with 404', () => {
    const verdict = validateRequest({ method: 'GET', path: '/repos/octo/hello/check-runz' });

    expect(verdict).toEqual({
      ok: false,
      status: 404,
      errors: ["no operation GET /repos/octo/hello/check-runz in GitHub's REST API description"],
    });
  });

  it('rejects a method the path does not have', () => {
    expect(validateRequest({ method: 'DELETE', path: '/repos/octo/hello/check-runs' }).ok).toBe(false);
  });

  it('checks query parameter names and types', () => {
    const unknown = validateRequest({
      method: 'GET',
      path: '/repos/o/r/pulls/1/files?per_page=100&sort=asc',
    });
    const badType = validateRequest({ method: 'GET', path: '/repos/o/r/pulls/1/files?per_page=many' });
    const good = validateRequest({ method: 'GET', path: '/repos/o/r/pulls/1/files?per_page=100&page=2' });

    expect(unknown.ok === false && unknown.errors).toEqual([
      'unknown query parameter sort (known: per_page, page)',
    ]);
    expect(badType.ok === false && badType.errors).toEqual(['query parameter per_page must be integer']);
    expect(good.ok).toBe(true);
  });

  it('checks path parameter types', () => {
    const verdict = validateRequest({ method: 'GET', path: '/repos/o/r/pulls/abc/files' });

    expect(verdict.ok === false && verdict.errors).toEqual(['path parameter pull_number must be integer']);
  });

  it('decodes percent-encoded parameters and accepts unencoded slashes in a trailing path', () => {
    expect(findOperation('GET', '/repos/o/r/compare/main...feature%2Fx')?.pathParams).toEqual({
      owner: 'o',
      repo: 'r',
      basehead: 'main...feature/x',
    });
    expect(findOperation('GET', '/repos/o/r/contents/.github/keywarden.yml')?.pathParams.path).toBe(
      '.github/keywarden.yml',
    );
  });

  it('rejects a body that is not JSON, and a body on an operation that takes none', () => {
    const notJson = validateRequest({ method: 'POST', path: '/repos/o/r/check-runs', body: 'name=x' });
    const unexpected = validateRequest({ method: 'GET', path: '/repos/o/r/pulls/1/files', body: '{"a":1}' });

    expect(notJson.ok === false && notJson.errors).toEqual(['the request body is not JSON']);
    expect(unexpected.ok === false && unexpected.errors).toEqual([
      'the operation takes no request body, but one was sent',
    ]);
  });

  it('checks response bodies against the documented schema, nullable fields included', () => {
    const run = openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201');

    expect(validateResponse('POST', '/repos/o/r/check-runs', 201, { ...run, conclusion: null })).toEqual([]);
    expect(validateResponse('POST', '/repos/o/r/check-runs', 201, { ...run, id: 'four' })).toEqual([
      'response/id must be integer',
    ]);
    expect(validateResponse('GET', '/repositories/42/pulls/1/files', 200, [{ filename: 'a' }])).toContain(
      "response/0 must have required property 'sha'",
    );
  });

  it('gives documented example responses', () => {
    const blob = openapiExample<{ encoding: string }>('GET', '/repos/{owner}/{repo}/git/blobs/{file_sha}');

    expect(blob.encoding).toBe('base64');
    expect(() => openapiExample('GET', '/nope')).toThrow('no operation GET /nope');
  });
});

describe('githubMock', () => {
  let gh: GithubMock;

  beforeEach(() => {
    gh = githubMock();
  });

  afterEach(() => {
    gh.restore();
  });

  it('passes a documented request through to its mock, token request included', async () => {
    const octokit = await installationOctokit(gh);
    gh.api.post('/repos/octo/hello/check-runs').reply(201, { id: 42 });

    const response = await octokit.rest.checks.create({
      owner: 'octo',
      repo: 'hello',
      name: 'keywarden',
      head_sha: SHA,
      status: 'in_progress',
    });

    expect(response.data).toEqual({ id: 42 });
    expect(gh.recordedRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /app/installations/1/access_tokens',
      'POST /repos/octo/hello/check-runs',
    ]);
    expect(JSON.parse(gh.recordedRequests()[1]!.body!)).toEqual({
      name: 'keywarden',
      head_sha: SHA,
      status: 'in_progress',
    });
    expect(() => gh.assertDone()).not.toThrow();
  });

  it('answers a request GitHub would reject with 422, and assertDone names the reason', async () => {
    const octokit = await installationOctokit(gh);
    gh.api.patch('/repos/octo/hello/check-runs/4').reply(200, { id: 4 });

    const error = await octokit.rest.checks
      // @ts-expect-error: the conclusion is wrong on purpose
      .update({ owner: 'octo', repo: 'hello', check_run_id: 4, conclusion: 'passed' })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 422 });
    expect(() => gh.assertDone()).toThrow(
      'PATCH /repos/octo/hello/check-runs/4 (checks/update /repos/{owner}/{repo}/check-runs/{check_run_id}): body/conclusion must be one of:',
    );
  });

  it('answers an unknown path with 404 and fails assertDone', async () => {
    const octokit = await installationOctokit(gh);
    gh.api.get('/repos/octo/hello/check-runz').reply(200, []);

    const error = await octokit.request('GET /repos/octo/hello/check-runz').catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 404 });
    expect(() => gh.assertDone()).toThrow('no operation GET /repos/octo/hello/check-runz');
  });

  it('restores a reused interceptor after answering one bad request', async () => {
    const octokit = await installationOctokit(gh);
    gh.api
      .get(/\/repos\/octo\/hello\/pulls\/1\/files/)
      .times(2)
      .reply(200, []);

    const bad = await octokit
      .request('GET /repos/octo/hello/pulls/1/files?sort=asc')
      .catch((e: unknown) => e);
    const good = await octokit.rest.pulls.listFiles({ owner: 'octo', repo: 'hello', pull_number: 1 });

    expect(bad).toMatchObject({ status: 422 });
    expect(good.data).toEqual([]);
    expect(gh.violations()).toHaveLength(1);
  });

  it('fails on an unmocked request to GitHub, even when the caller swallows the error', async () => {
    const octokit = await installationOctokit(gh);
    gh.api.get('/repos/octo/hello/pulls/1/files').reply(200, []);

    const error = await octokit.rest.pulls
      .get({ owner: 'octo', repo: 'hello', pull_number: 1 })
      .catch((e) => e);
    await octokit.rest.pulls.listFiles({ owner: 'octo', repo: 'hello', pull_number: 1 });

    expect(error).toBeInstanceOf(Error);
    expect(() => gh.assertDone()).toThrow(
      'requests with no mock (network sealed):\n  GET https://api.github.com/repos/octo/hello/pulls/1',
    );
  });

  it('fails on a request to any other host: the network is sealed', async () => {
    const error = await fetch('https://example.com/hook', { method: 'POST', body: 'x' }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(Error);
    expect(() => gh.assertDone()).toThrow('POST https://example.com/hook');
  });

  it('fails on a mock that was never used', () => {
    gh.api.get('/repos/octo/hello').reply(200, {});

    expect(() => gh.assertDone()).toThrow(
      'mocks never used:\n  GET https://api.github.com:443/repos/octo/hello',
    );
  });

  it('finds a value in any recorded request body', async () => {
    const octokit = await installationOctokit(gh);
    gh.api.post('/repos/octo/hello/issues').reply(201, { number: 1 });
    const planted = `needle-${testInstallationToken(9).slice(4, 20)}`;

    await octokit.rest.issues.create({ owner: 'octo', repo: 'hello', title: 't', body: `has ${planted}` });

    expect(requestsContaining(gh, planted)).toEqual(['POST https://api.github.com/repos/octo/hello/issues']);
    expect(requestsContaining(gh, 'absent-value')).toEqual([]);
  });
});

describe('testProbot', () => {
  let gh: GithubMock;

  beforeEach(() => {
    gh = githubMock();
  });

  afterEach(() => {
    gh.restore();
  });

  it('runs a handler for a real webhook payload as the installation, token request validated', async () => {
    const payload = webhookExample('push', (p) => p.installation !== undefined && !p.deleted);
    payload.installation = { id: 5, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNQ==' };
    mockInstallationToken(gh, 5, { required: true });
    gh.api.post('/repos/Codertocat/Hello-World/check-runs').reply(201, { id: 9 });
    const probot = testProbot();
    const seen: number[] = [];
    probot.on('push', async (context) => {
      const { data } = await context.octokit.rest.checks.create(
        context.repo({ name: 'keywarden', head_sha: context.payload.after }),
      );
      seen.push(data.id);
    });

    // @octokit/webhooks-types (the examples) and Probot's @octokit/openapi-webhooks-types differ in detail.
    await probot.receive({ id: 'delivery-1', name: 'push', payload: payload as never });

    expect(seen).toEqual([9]);
    expect(gh.recordedRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /app/installations/5/access_tokens',
      'POST /repos/Codertocat/Hello-World/check-runs',
    ]);
    gh.assertDone();
  });

  it('fails when a required token mock is not used', () => {
    mockInstallationToken(gh, 6, { required: true });

    expect(() => gh.assertDone()).toThrow(
      'POST https://api.github.com:443/app/installations/6/access_tokens',
    );
  });

  it('lets tests reach their own server on 127.0.0.1', async () => {
    const server = createServer((_req, res) => res.end('local'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    const text = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
    server.close();

    expect(text).toBe('local');
    expect(() => gh.assertDone()).not.toThrow();
  });
});

describe('captureLog', () => {
  it('keeps log lines in memory as JSON', () => {
    const { logger, lines } = captureLog();

    logger.info({ repo: 'octo/hello' }, 'scan finished');

    expect(JSON.parse(lines()[0]!)).toMatchObject({ repo: 'octo/hello', msg: 'scan finished' });
  });
});
