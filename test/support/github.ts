import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import nock from 'nock';
import { pino } from 'pino';
import { type Logger, Probot, ProbotOctokit } from 'probot';
import { afterEach, beforeEach } from 'vitest';
import { ALPHABETS, fake } from '../../src/rules/examples.js';
import { type RequestVerdict, validateRequest } from './openapi.js';

/**
 * The GitHub side of a test: nock 14 with the network sealed, every request to https://api.github.com
 * checked against GitHub's OpenAPI description, and a Probot wired for tests.
 *
 * @example
 * ```ts
 * let gh: GithubMock;
 * beforeEach(() => { gh = githubMock(); });
 * afterEach(() => gh.restore());
 *
 * it('creates a check run', async () => {
 *   const octokit = await installationOctokit(gh);
 *   gh.api.post('/repos/o/r/check-runs').reply(201, { id: 7 });
 *
 *   await createCheckRun(octokit, { owner: 'o', repo: 'r' }, sha);
 *
 *   gh.assertDone();
 * });
 * ```
 */

export const GITHUB_API = 'https://api.github.com';

/** One request seen by the mock, matched or not. */
export interface RecordedRequest {
  method: string;
  /** Origin, e.g. `https://api.github.com`. */
  origin: string;
  /** Path and query as sent (percent-encoded). */
  path: string;
  /** The raw body (`undefined` when none was sent). */
  body: string | undefined;
  /** Whether an interceptor answered it. */
  matched: boolean;
}

export interface GithubMock {
  /**
   * The nock scope for https://api.github.com; add interceptors to it. Every request it answers is
   * validated (a scope made with `nock()` directly is not). One mock per test: `githubMock()` clears
   * every interceptor first.
   */
  readonly api: nock.Scope;
  /** Every request seen, in order: for asserting on bodies and for searching them for raw secrets. */
  recordedRequests(): readonly RecordedRequest[];
  /** OpenAPI violations so far, one message per bad request. */
  violations(): readonly string[];
  /**
   * Throws when a request broke GitHub's OpenAPI description, reached no interceptor (unmocked, or
   * the network was asked for), or when an interceptor was never used.
   */
  assertDone(): void;
  /** Removes every interceptor and listener; call in `afterEach`. Does not assert. */
  restore(): void;
}

interface RequestLike {
  method?: string;
  path?: string;
  host?: string;
  hostname?: string;
  proto?: string;
  protocol?: string;
}

/** The nock internals the mock rewrites to answer a rejected request as GitHub would (nock 14). */
interface InterceptorInternals {
  statusCode: number;
  rawHeaders: string[];
  headers: Record<string, string>;
  body: unknown;
  replyFunction?: unknown;
  fullReplyFunction?: unknown;
  errorMessage?: unknown;
}

/** Local servers (a test's own Probot or web server) may be reached; nothing else. */
const LOCAL_HOST = /^127\.0\.0\.1(?::\d{1,5})?$/;

/**
 * Seals the network and mocks https://api.github.com. A request that GitHub's OpenAPI description
 * rejects gets GitHub's answer (404 for an unknown operation, 422 for bad parameters or body) and is
 * recorded as a violation; `assertDone()` then fails with the operation and every reason.
 */
export function githubMock(): GithubMock {
  nock.cleanAll();
  nock.disableNetConnect();
  nock.enableNetConnect(LOCAL_HOST);

  const recorded: RecordedRequest[] = [];
  const violations: string[] = [];
  const unmatched: string[] = [];

  const api = nock(GITHUB_API);
  api.on('request', (req: RequestLike, interceptor: unknown, body: string) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.path ?? '/';
    recorded.push({ method, origin: GITHUB_API, path, body: body === '' ? undefined : body, matched: true });
    // A throw here would escape nock as an uncaught exception and hang the request.
    let verdict: RequestVerdict;
    try {
      verdict = validateRequest({ method, path, body });
    } catch (error) {
      violations.push(`${method} ${path}: the harness could not validate it: ${(error as Error).message}`);
      return;
    }
    if (verdict.ok) return;
    const operation = verdict.operation
      ? ` (${verdict.operation.operationId} ${verdict.operation.template})`
      : '';
    violations.push(`${method} ${path}${operation}: ${verdict.errors.join('; ')}`);
    answerAsGithub(interceptor as InterceptorInternals, verdict.status, verdict.errors);
  });

  const onNoMatch = (req: RequestLike, options?: RequestLike, body?: string) => {
    const where = options ?? req;
    const host = where.host ?? where.hostname ?? req.host ?? '';
    if (LOCAL_HOST.test(host)) return;
    const method = (req.method ?? where.method ?? 'GET').toUpperCase();
    const protocol = (where.protocol ?? (where.proto ? `${where.proto}:` : 'https:')).replace(/:?$/, ':');
    const defaultPort = protocol === 'https:' ? ':443' : ':80';
    const origin = `${protocol}//${host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host}`;
    const path = where.path ?? req.path ?? '/';
    recorded.push({ method, origin, path, body: body || undefined, matched: false });
    unmatched.push(`${method} ${origin}${path}`);
  };
  nock.emitter.on('no match', onNoMatch);

  return {
    api,
    recordedRequests: () => recorded,
    violations: () => violations,
    assertDone() {
      const problems: string[] = [];
      if (violations.length > 0) {
        problems.push(`requests GitHub would reject (OpenAPI):\n  ${violations.join('\n  ')}`);
      }
      if (unmatched.length > 0)
        problems.push(`requests with no mock (network sealed):\n  ${unmatched.join('\n  ')}`);
      const pending = nock.pendingMocks();
      if (pending.length > 0) problems.push(`mocks never used:\n  ${pending.join('\n  ')}`);
      if (problems.length > 0) throw new Error(problems.join('\n'));
    },
    restore() {
      nock.emitter.removeListener('no match', onNoMatch);
      api.removeAllListeners('request');
      nock.cleanAll();
    },
  };
}

/**
 * Makes this one playback answer `status` with a GitHub-style error body, whatever the interceptor
 * says. nock reads these fields synchronously right after emitting `request`; they are restored in a
 * microtask so that a `.times(n)` or `.persist()` interceptor still answers its later requests.
 */
function answerAsGithub(
  interceptor: InterceptorInternals,
  status: 404 | 422,
  errors: readonly string[],
): void {
  const saved = {
    statusCode: interceptor.statusCode,
    rawHeaders: interceptor.rawHeaders,
    headers: interceptor.headers,
    body: interceptor.body,
    replyFunction: interceptor.replyFunction,
    fullReplyFunction: interceptor.fullReplyFunction,
    errorMessage: interceptor.errorMessage,
  };
  const message = status === 404 ? 'Not Found' : `Invalid request.\n\n${errors.join('\n')}`;
  interceptor.statusCode = status;
  interceptor.rawHeaders = ['Content-Type', 'application/json; charset=utf-8'];
  interceptor.headers = { 'content-type': 'application/json; charset=utf-8' };
  interceptor.body = JSON.stringify({
    message,
    documentation_url: 'https://docs.github.com/rest',
    status: `${status}`,
  });
  interceptor.replyFunction = undefined;
  interceptor.fullReplyFunction = undefined;
  interceptor.errorMessage = undefined;
  queueMicrotask(() => Object.assign(interceptor, saved));
}

/**
 * Searches every recorded request (path and body) for `needle`; returns where it was found. Use it to
 * prove a raw secret never left the process: `expect(requestsContaining(gh, raw)).toEqual([])`.
 */
export function requestsContaining(mock: GithubMock, needle: string): string[] {
  return mock
    .recordedRequests()
    .filter(
      (r) =>
        r.path.includes(needle) || safeDecode(r.path).includes(needle) || (r.body ?? '').includes(needle),
    )
    .map((r) => `${r.method} ${r.origin}${r.path}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

let privateKey: string | undefined;

/** An RSA private key made for this test file (PKCS#1 PEM, as GitHub issues them). Never committed. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey;
  return privateKey;
}

/**
 * ProbotOctokit with retries and throttling off. The function form of `defaults` is needed: Probot 14
 * applies its own options after object defaults, and the throttling plugin would then delay every write
 * by ~1 s (TRAPS.md).
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

/** The webhook secret `testProbot()` verifies signatures with. */
export const TEST_WEBHOOK_SECRET = 'keywarden-test-webhook-secret';

/** A Probot for tests: app id 1, a generated key, no retries, no throttling, quiet unless given a logger. */
export function testProbot(options: { log?: Logger } = {}): Probot {
  return new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: TEST_WEBHOOK_SECRET,
    Octokit: TestOctokit,
    log: options.log ?? captureLog().logger,
  });
}

/** The token `mockInstallationToken` hands out; generated, so no token-shaped literal is committed. */
export function testInstallationToken(installationId = 1): string {
  return `ghs_${fake(`installation-token-${installationId}`, 36, ALPHABETS.alnum)}`;
}

/**
 * Mocks the installation access token request Probot makes before the first call as an installation
 * (`POST /app/installations/{id}/access_tokens`, validated like every other request). The mock is
 * optional by default (a test that makes no call does not fail on it); pass `required: true` to insist.
 * It still appears in `recordedRequests()` when used, so request counts include it.
 */
export function mockInstallationToken(
  mock: GithubMock,
  installationId = 1,
  options: { required?: boolean } = {},
): void {
  const interceptor = mock.api.post(`/app/installations/${installationId}/access_tokens`);
  if (!options.required) interceptor.optionally();
  interceptor.reply(201, {
    token: testInstallationToken(installationId),
    expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    permissions: {
      checks: 'write',
      contents: 'read',
      issues: 'write',
      metadata: 'read',
      pull_requests: 'read',
    },
    repository_selection: 'all',
  });
}

/**
 * An installation-authenticated ProbotOctokit, exactly what a webhook handler gets as `context.octokit`.
 * Mocks the token request, which Probot makes before the first API call (and caches per Probot).
 */
export async function installationOctokit(
  mock: GithubMock,
  installationId = 1,
  probot: Probot = testProbot(),
): Promise<ProbotOctokit> {
  mockInstallationToken(mock, installationId);
  return probot.auth(installationId);
}

/**
 * Registers the usual per-test GitHub set-up: a fresh sealed mock and an installation Octokit before each
 * test (handed to `use`), and after each test the mock asserted done and restored.
 *
 * @example
 * let gh: GithubMock;
 * let octokit: Octokit;
 * useGithub((mock, kit) => { gh = mock; octokit = kit; });
 */
export function useGithub(use: (gh: GithubMock, octokit: ProbotOctokit) => void): void {
  let current: GithubMock | undefined;
  beforeEach(async () => {
    current = githubMock();
    use(current, await installationOctokit(current));
  });
  afterEach(() => {
    current?.assertDone();
    current?.restore();
  });
}

/** A pino logger that keeps every line in memory (JSON), for asserting on logs or searching them. */
export function captureLog(level: 'trace' | 'debug' | 'info' | 'warn' = 'debug'): {
  logger: Logger;
  lines: () => string[];
} {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: pino({ level }, sink), lines: () => lines };
}

type EventName = WebhookDefinition['name'];

/**
 * A deep copy of a documented webhook payload from `@octokit/webhooks-examples`: the first example of
 * `name` that `pick` accepts. Adjust only the fields that must point at test data.
 *
 * @example const push = webhookExample('push', (p) => 'installation' in p && !p.deleted);
 */
export function webhookExample<N extends EventName>(
  name: N,
  pick: (payload: WebhookDefinition<N>['examples'][number]) => boolean = () => true,
): WebhookDefinition<N>['examples'][number] {
  const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
  const examples = (definitions.find((d) => d.name === name)?.examples ??
    []) as WebhookDefinition<N>['examples'];
  const example = examples.find(pick);
  if (!example) throw new Error(`no ${name} example matches`);
  return structuredClone(example);
}
