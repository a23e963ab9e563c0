import nock from 'nock';
import type { Secret } from '../../src/engine/secret.js';
import { sealAdminSecret } from '../../src/providers/admin-credentials.js';
import { createProviderHttp } from '../../src/providers/http.js';
import type { AdminCredentials, ProviderContext } from '../../src/providers/types.js';

/**
 * The provider side of a test: nock with the network sealed, and a {@link ProviderContext} whose HTTP
 * client records every request it sends (headers included), so a test can prove where a raw secret went.
 *
 * @example
 * ```ts
 * let providers: SealedProviders;
 * beforeEach(() => { providers = sealedProviders(); });
 * afterEach(() => providers.restore());
 *
 * it('is live', async () => {
 *   nock('https://api.openai.com').get('/v1/models').reply(200, { object: 'list', data: [] });
 *
 *   const result = await openai.verify(secret, 'openai.project-key', providers.context());
 *
 *   expect(result.verdict).toBe('live');
 *   expect(providers.requestsContaining(secret.reveal())).toEqual(['GET https://api.openai.com/v1/models']);
 *   providers.done();
 * });
 * ```
 */

/** The `now()` of {@link SealedProviders.context}: a fixed instant. */
export const PROVIDER_TEST_NOW = new Date('2025-06-02T12:00:00Z');

/** The timeout of {@link SealedProviders.context}'s HTTP client: short, so timeout tests are quick. */
export const PROVIDER_TEST_TIMEOUT_MS = 300;

/** One request the context's HTTP client sent (each redirect hop is its own request). */
export interface SentRequest {
  method: string;
  /** e.g. `https://api.openai.com` */
  origin: string;
  /** Path and query as sent. */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface SealedProviders {
  /** A context for adapters: recording HTTP client with a short timeout, the given admin credentials. */
  context(admin?: AdminCredentials): ProviderContext;
  /** Every request sent through any context made here, in order. */
  requests(): readonly SentRequest[];
  /** `METHOD origin+path` of each request whose path, headers or body hold `needle`. */
  requestsContaining(needle: string): string[];
  /** Requests nock had no interceptor for (`METHOD origin+path`). */
  unmatched(): readonly string[];
  /** Throws when an interceptor was never used or a request reached no interceptor. */
  done(): void;
  /** Removes every interceptor and listener; call in `afterEach`. Does not assert. */
  restore(): void;
}

interface RequestLike {
  method?: string;
  path?: string;
  host?: string;
  hostname?: string;
  protocol?: string;
}

/** Seals the network (`nock.disableNetConnect()`) and records every provider request. */
export function sealedProviders(): SealedProviders {
  nock.disableNetConnect();
  const sent: SentRequest[] = [];
  const unmatched: string[] = [];

  const onNoMatch = (req: RequestLike, options?: RequestLike) => {
    const where = options ?? req;
    const protocol = (where.protocol ?? 'https:').replace(/:?$/, ':');
    const host = (where.host ?? where.hostname ?? '').replace(protocol === 'https:' ? /:443$/ : /:80$/, '');
    const method = (req.method ?? where.method ?? 'GET').toUpperCase();
    unmatched.push(`${method} ${protocol}//${host}${where.path ?? req.path ?? ''}`);
  };
  nock.emitter.on('no match', onNoMatch);

  const recordingFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    sent.push({
      method: (init?.method ?? 'GET').toUpperCase(),
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      headers: { ...((init?.headers as Record<string, string> | undefined) ?? {}) },
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    return fetch(input, init);
  };

  return {
    context(admin: AdminCredentials = {}) {
      return {
        http: createProviderHttp({ timeoutMs: PROVIDER_TEST_TIMEOUT_MS, fetch: recordingFetch }),
        admin,
        now: () => new Date(PROVIDER_TEST_NOW),
      };
    },
    requests: () => sent,
    requestsContaining(needle) {
      return sent
        .filter(
          (r) =>
            r.path.includes(needle) ||
            safeDecode(r.path).includes(needle) ||
            Object.values(r.headers).some((value) => value.includes(needle)) ||
            (r.body ?? '').includes(needle),
        )
        .map((r) => `${r.method} ${r.origin}${r.path}`);
    },
    unmatched: () => unmatched,
    done() {
      const problems: string[] = [];
      if (unmatched.length > 0) problems.push(`requests with no mock:\n  ${unmatched.join('\n  ')}`);
      const pending = nock.pendingMocks();
      if (pending.length > 0) problems.push(`mocks never used:\n  ${pending.join('\n  ')}`);
      if (problems.length > 0) throw new Error(problems.join('\n'));
    },
    restore() {
      nock.emitter.removeListener('no match', onNoMatch);
      nock.cleanAll();
    },
  };
}

/** An admin credential for tests, redacted as `loadAdminCredentials` redacts it (prefix and length). */
export function adminSecret(value: string, prefix = /^(sk-ant-admin01-|sk-admin-)/.exec(value)?.[1]): Secret {
  return sealAdminSecret(value, prefix);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
