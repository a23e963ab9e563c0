import nock from 'nock';
import { expect } from 'vitest';
import type { Secret } from '../../src/engine/secret.js';
import { requestName } from '../../src/providers/http.js';
import type { ProviderAdapter, Verdict } from '../../src/providers/types.js';
import type { SealedProviders } from './providers.js';

/**
 * Table rows for a provider's `verify`, and the one way to run them: the verdict and detail are exact, the
 * detail never holds the raw value, and the raw value went only to the requests named.
 *
 * @example
 * ```ts
 * it.each([
 *   { name: 'live', reply: () => nock(ORIGIN).get('/v1/account').reply(200, account), verdict: 'live', detail: '…' },
 *   ...indeterminateCases('https://api.replicate.com/v1/account'),
 * ])('$name', (row) => runVerifyCase(providers, replicate, 'replicate.api-token', secret, row, [REQUEST]));
 * ```
 */

export interface VerifyCase {
  name: string;
  /** Sets up the nock interceptors of the row. */
  reply: () => unknown;
  verdict: Verdict;
  detail: string;
}

/**
 * The rows every verify table has: answers that prove nothing either way (429, 5xx, 400, no answer in
 * time, malformed JSON, a redirect to another host). `errorBody` is the provider's error envelope.
 */
export function indeterminateCases(
  url: string,
  errorBody: object = { error: { message: 'error' } },
  method: 'GET' | 'POST' = 'GET',
): VerifyCase[] {
  const { origin, pathname, search } = new URL(url);
  const path = `${pathname}${search}`;
  const name = requestName(method, url);
  const at = () => (method === 'GET' ? nock(origin).get(path) : nock(origin).post(path));
  return [
    {
      name: '429',
      reply: () => at().reply(429, errorBody, { 'retry-after': '20' }),
      verdict: 'unknown',
      detail: `${name} answered 429: rate limited, proves nothing`,
    },
    {
      name: '5xx',
      reply: () => at().reply(502, '<html><body>Bad Gateway</body></html>'),
      verdict: 'unknown',
      detail: `${name} answered 502: provider error, proves nothing`,
    },
    {
      name: '400',
      reply: () => at().reply(400, errorBody),
      verdict: 'unknown',
      detail: `${name} answered 400: not an answer that proves the key live or dead`,
    },
    {
      name: 'no answer in time',
      reply: () => at().delay(1_000).reply(200, {}),
      verdict: 'unknown',
      detail: `${name}: no answer in time`,
    },
    {
      name: 'malformed JSON',
      reply: () => at().reply(200, '{"data": [', { 'content-type': 'application/json' }),
      verdict: 'unknown',
      detail: `${name} answered 200: unexpected body, proves nothing`,
    },
    {
      name: 'a redirect to another host (not followed)',
      reply: () => at().reply(302, '', { location: 'https://login.example.test/' }),
      verdict: 'unknown',
      detail: `${name}: redirected to another host (login.example.test): not followed`,
    },
  ];
}

/**
 * Runs one row: `adapter.verify` gives exactly the row's verdict and detail, the detail holds no raw value,
 * the raw value appears only in `expectedRequests` (`METHOD origin+path`), and every interceptor was used.
 */
export async function runVerifyCase(
  providers: SealedProviders,
  adapter: ProviderAdapter,
  ruleId: string,
  secret: Secret,
  row: VerifyCase,
  expectedRequests: string[],
): Promise<void> {
  row.reply();

  const result = await adapter.verify(secret, ruleId, providers.context());

  expect(result).toEqual({ verdict: row.verdict, detail: row.detail });
  expect(result.detail).not.toContain(secret.reveal());
  expect(providers.requestsContaining(secret.reveal())).toEqual(expectedRequests);
  for (const request of providers.requests()) expect(request.path).not.toContain(secret.reveal());
  providers.done();
}
