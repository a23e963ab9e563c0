import { JWT } from 'google-auth-library';
import type { Secret } from '../../engine/secret.js';
import { sealAdminSecret } from '../admin-credentials.js';
import { safeToken } from '../bearer-check.js';
import { describeResult, type ProviderHttp, type ProviderResult } from '../http.js';
import type { AdminCredentials } from '../types.js';

type ServiceAccount = NonNullable<AdminCredentials['google']>['serviceAccount'];

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export type AccessToken = { ok: true; token: Secret } | { ok: false; detail: string };

/**
 * An OAuth access token for the service account (JWT bearer grant, signed by google-auth-library). The
 * token request goes through `http` like every other provider call (timeout, no cross-host redirects), and
 * carries only the signed assertion: never a leaked key. No retries: the caller's outcome says `failed`.
 */
export async function cloudPlatformToken(account: ServiceAccount, http: ProviderHttp): Promise<AccessToken> {
  let last: ProviderResult | undefined;
  const fetchThroughHttp = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if ((init?.method ?? 'GET').toUpperCase() !== 'POST')
      throw new Error('only the token request is expected');
    last = await http.request({
      method: 'POST',
      url,
      form: Object.fromEntries(new URLSearchParams(String(init?.body ?? ''))),
      secrets: [account.privateKey],
    });
    if (!last.ok) throw new Error('token request failed');
    return new Response(last.response.text, {
      status: last.response.status,
      headers: { 'content-type': last.response.headers.get('content-type') ?? 'application/json' },
    });
  };
  const client = new JWT({
    email: account.clientEmail,
    key: account.privateKey.reveal(),
    scopes: [CLOUD_PLATFORM_SCOPE],
    transporterOptions: { fetchImplementation: fetchThroughHttp, retryConfig: { retry: 0 } },
  });
  try {
    const { token } = await client.getAccessToken();
    if (token) return { ok: true, token: sealAdminSecret(token) };
    return { ok: false, detail: 'the token endpoint answered without an access token' };
  } catch {
    // The library's error can quote the answer; only what `last` recorded is used.
    if (!last) return { ok: false, detail: 'could not sign a token request with the service account key' };
    if (!last.ok || last.response.status === 200)
      return { ok: false, detail: `token: ${describeResult(last)}` };
    const code = safeToken((last.response.json as { error?: unknown } | undefined)?.error);
    return { ok: false, detail: `token: ${describeResult(last)}${code ? ` (${code})` : ''}` };
  }
}
