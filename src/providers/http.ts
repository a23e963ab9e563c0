import type { Secret } from '../engine/secret.js';

/**
 * The one way provider adapters talk to providers: every request has a timeout, redirects are followed
 * only within the same origin, bodies are read up to a cap, and nothing that can fail returns text that
 * could hold the secret. Requests are named in results by method, host and path (never the query, headers
 * or body), and any remaining text is scrubbed of the secrets the caller names.
 *
 * Failures are results, not exceptions, so an adapter maps each of them to `unknown` (verification) or
 * `failed` (revocation) on purpose.
 */

export interface ProviderRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The provider's real URL (`https://api.openai.com/v1/models`); never put a secret in the path. */
  url: string;
  headers?: Record<string, string>;
  /** A JSON body (sent with `content-type: application/json`). */
  json?: unknown;
  /** A form body. */
  form?: Record<string, string>;
  /** Secrets sent in this request: scrubbed from anything the result carries. */
  secrets?: readonly Secret[];
  timeoutMs?: number;
}

export interface ProviderResponse {
  status: number;
  headers: Headers;
  /** The body as text (cut at {@link MAX_BODY_BYTES}). */
  text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  json: unknown;
}

export type ProviderResult =
  | { ok: true; name: string; response: ProviderResponse }
  | { ok: false; name: string; reason: 'timeout' | 'network' | 'redirect'; detail: string };

export interface ProviderHttp {
  request(request: ProviderRequest): Promise<ProviderResult>;
}

export interface ProviderHttpOptions {
  /** Default timeout per request (ms). */
  timeoutMs?: number;
  /**
   * Origins to send requests to instead of the real ones (`{ 'https://api.openai.com': 'http://127.0.0.1:4010' }`),
   * for the demo's local stand-in. Set in code only, never from the environment or repository config.
   */
  origins?: Readonly<Record<string, string>>;
  /** The fetch to use (tests and the demo pass none: the global fetch, which nock intercepts). */
  fetch?: typeof fetch;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_BODY_BYTES = 1 << 20;
const MAX_REDIRECTS = 3;

/** The name of a request in results and audit events: method, host and path, nothing else. */
export function requestName(method: string, url: string): string {
  const parsed = new URL(url);
  return `${method} ${parsed.host}${parsed.pathname}`;
}

/** Replaces every occurrence of each secret in `text` with its redacted form. */
export function scrub(text: string, secrets: readonly Secret[] = []): string {
  let out = text;
  for (const secret of secrets) {
    const raw = secret.reveal();
    if (raw.length >= 4) out = out.split(raw).join(secret.redacted);
  }
  return out;
}

export function createProviderHttp(options: ProviderHttpOptions = {}): ProviderHttp {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutDefault = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const rewrite = (url: string): string => {
    const parsed = new URL(url);
    const target = options.origins?.[parsed.origin];
    return target ? `${target.replace(/\/$/, '')}${parsed.pathname}${parsed.search}` : url;
  };
  return {
    async request(request) {
      const name = requestName(request.method, request.url);
      const secrets = request.secrets ?? [];
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
      let body: string | undefined;
      if (request.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.json);
      } else if (request.form !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(request.form).toString();
      }
      const signal = AbortSignal.timeout(request.timeoutMs ?? timeoutDefault);
      let url = rewrite(request.url);
      const origin = new URL(url).origin;
      try {
        for (let hop = 0; ; hop++) {
          const response = await doFetch(url, {
            method: request.method,
            headers,
            ...(body === undefined ? {} : { body }),
            redirect: 'manual',
            signal,
          });
          const location = response.headers.get('location');
          if (response.status >= 300 && response.status < 400 && location) {
            await response.body?.cancel();
            const next = new URL(location, url);
            if (next.origin !== origin || hop >= MAX_REDIRECTS) {
              return {
                ok: false,
                name,
                reason: 'redirect',
                detail:
                  next.origin !== origin
                    ? `redirected to another host (${next.host}): not followed`
                    : 'too many redirects',
              };
            }
            url = next.toString();
            continue;
          }
          const read = await readCapped(response);
          const text = scrub(read.cut ? scrubCutTail(read.text, secrets) : read.text, secrets);
          return {
            ok: true,
            name,
            response: { status: response.status, headers: response.headers, text, json: parseJson(text) },
          };
        }
      } catch (error) {
        if (signal.aborted) return { ok: false, name, reason: 'timeout', detail: 'no answer in time' };
        // Only the error's code leaves this function: a message could quote the request.
        const code = (error as { cause?: { code?: unknown } }).cause?.code;
        return {
          ok: false,
          name,
          reason: 'network',
          detail: `network error${typeof code === 'string' && /^[A-Z_]+$/.test(code) ? ` (${code})` : ''}`,
        };
      }
    },
  };
}

/** Reads the body up to {@link MAX_BODY_BYTES}, keeping the part of the last chunk that fits. */
async function readCapped(response: Response): Promise<{ text: string; cut: boolean }> {
  if (!response.body) return { text: '', cut: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > MAX_BODY_BYTES) {
      chunks.push(value.subarray(0, MAX_BODY_BYTES - size));
      await reader.cancel();
      return { text: Buffer.concat(chunks).toString('utf8'), cut: true };
    }
    size += value.byteLength;
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), cut: false };
}

/** A body cut at the cap can end in the first characters of a secret, which `scrub` would not match. */
function scrubCutTail(text: string, secrets: readonly Secret[]): string {
  for (const secret of secrets) {
    const raw = secret.reveal();
    for (let k = Math.min(raw.length - 1, text.length); k >= 4; k--) {
      if (text.endsWith(raw.slice(0, k))) return `${text.slice(0, -k)}${secret.redacted}`;
    }
  }
  return text;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A short description of a failed request or an unexpected answer, for `detail` strings. */
export function describeResult(result: ProviderResult): string {
  if (!result.ok) return `${result.name}: ${result.detail}`;
  return `${result.name} answered ${result.response.status}`;
}

/**
 * A short machine code from a provider's answer (`invalid_api_key`, `authentication_error`, `active`),
 * or `undefined` when the value does not look like one. The only response text `detail` strings may
 * carry: a message could echo the key, a code of lowercase letters, digits and `_`/`-`/`.` cannot.
 */
export function safeCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[a-z][a-z0-9_.-]{0,63}$/.test(value) ? value : undefined;
}
