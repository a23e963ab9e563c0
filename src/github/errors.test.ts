import { describe, expect, it } from 'vitest';
import { type GithubMock, useGithub } from '../../test/support/github.js';
import { isRetryable, retryAfterSeconds } from './errors.js';
import type { Octokit } from './types.js';

/** A real Octokit `RequestError`: what `repos.get` throws when GitHub answers `status` with these headers. */
async function requestError(
  gh: GithubMock,
  octokit: Octokit,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Promise<unknown> {
  gh.api
    .get('/repos/octo/hello')
    .reply(status, { message, documentation_url: 'https://docs.github.com/rest' }, headers);
  return octokit.rest.repos.get({ owner: 'octo', repo: 'hello' }).then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
}

describe('isRetryable with errors Octokit throws', () => {
  let gh: GithubMock;
  let octokit: Octokit;

  useGithub((mock, kit) => {
    gh = mock;
    octokit = kit;
  });

  it.each<{ status: number; message: string; headers: Record<string, string>; retryable: boolean }>([
    { status: 500, message: 'Server Error', headers: {}, retryable: true },
    { status: 502, message: 'Bad Gateway', headers: {}, retryable: true },
    { status: 503, message: 'Service Unavailable', headers: {}, retryable: true },
    { status: 429, message: 'Too Many Requests', headers: {}, retryable: true },
    { status: 403, message: 'Forbidden', headers: { 'retry-after': '30' }, retryable: true },
    {
      status: 403,
      message: 'API rate limit exceeded for installation ID 1.',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' },
      retryable: true,
    },
    {
      status: 403,
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      headers: {},
      retryable: true,
    },
    { status: 403, message: 'Resource not accessible by integration', headers: {}, retryable: false },
    { status: 410, message: 'Issues are disabled for this repo', headers: {}, retryable: false },
    { status: 404, message: 'Not Found', headers: {}, retryable: false },
    { status: 409, message: 'Git Repository is empty.', headers: {}, retryable: false },
    { status: 422, message: 'Validation Failed', headers: {}, retryable: false },
  ])('$status $message → $retryable', async ({ status, message, headers, retryable }) => {
    const error = await requestError(gh, octokit, status, message, headers);

    expect(error).toMatchObject({ name: 'HttpError', status });
    expect(isRetryable(error)).toBe(retryable);
  });

  it('retries a connection reset (Octokit reports it as status 500 with the cause)', async () => {
    gh.api.get('/repos/octo/hello').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });

    const error = await octokit.rest.repos.get({ owner: 'octo', repo: 'hello' }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'HttpError', status: 500 });
    expect(isRetryable(error)).toBe(true);
  });
});

describe('isRetryable with errors that carry no status', () => {
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

  it.each([
    {
      name: 'fetch failed caused by a reset',
      error: new TypeError('fetch failed', { cause: reset }),
      retryable: true,
    },
    { name: 'a bare connection error', error: reset, retryable: true },
    {
      name: 'an undici connect timeout',
      error: Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
      retryable: true,
    },
    {
      name: 'an aborted request',
      error: new DOMException('This operation was aborted', 'AbortError'),
      retryable: true,
    },
    {
      name: 'a timeout signal',
      error: new DOMException('The operation timed out', 'TimeoutError'),
      retryable: true,
    },
    {
      name: 'a programming error',
      error: new TypeError("Cannot read properties of undefined (reading 'sha')"),
      retryable: false,
    },
    { name: 'a plain error', error: new Error('unexpected'), retryable: false },
    { name: 'a thrown string', error: 'boom', retryable: false },
    { name: 'null', error: null, retryable: false },
  ])('$name → $retryable', ({ error, retryable }) => {
    expect(isRetryable(error)).toBe(retryable);
  });
});

describe('retryAfterSeconds', () => {
  it('reads retry-after, then the rate limit reset, else nothing', () => {
    const now = new Date(1_700_000_000_000);

    expect(retryAfterSeconds({ status: 403, response: { headers: { 'retry-after': '60' } } }, now)).toBe(60);
    expect(
      retryAfterSeconds(
        {
          status: 403,
          response: { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000090' } },
        },
        now,
      ),
    ).toBe(90);
    expect(retryAfterSeconds({ status: 500, response: { headers: {} } }, now)).toBeUndefined();
    expect(retryAfterSeconds(new Error('x'), now)).toBeUndefined();
  });
});
