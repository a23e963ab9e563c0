import type { IncomingHttpHeaders } from 'node:http';
import type { RepoState, StandinState } from './state.js';

/** The request/response vocabulary shared by the stand-in's routes. */

/** Who a request authenticated as. */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'app'; appId: number | null }
  | { kind: 'installation'; installationId: number; appId: number | null };

export interface RouteContext {
  state: StandinState;
  /** Decoded path parameters. */
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  headers: IncomingHttpHeaders;
  caller: Caller;
  /** The request path without `/api/v3` and without the query. */
  path: string;
}

/** What a route answers. `body` is sent as JSON, `text` as is with `contentType`. */
export interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path template: `{name}` matches one segment, `{name+}` the rest of the path. */
  template: string;
  /** GitHub's operation id, recorded with each request. */
  operation: string;
  /**
   * `app`: an App JWT is required; `repo`: the repository must exist and be readable by the caller;
   * `org`: an installation on the organization `{org}` is required.
   */
  access: 'app' | 'repo' | 'org';
  handle(context: RouteContext, repo: RepoState | undefined): Reply;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

const DOCS = 'https://docs.github.com/rest';

/** GitHub's error body. */
export function errorReply(status: number, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { message, documentation_url: DOCS, status: `${status}`, ...extra } };
}

export const notFound = (): Reply => errorReply(404, 'Not Found');

/** 422 as GitHub words a validation failure. */
export function unprocessable(message: string): Reply {
  return errorReply(422, message);
}

/** The message GitHub sends with an error status, for injected failures. */
export function defaultMessage(status: number): string {
  if (status === 403 || status === 429) {
    return 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';
  }
  if (status === 401) return 'Bad credentials';
  if (status === 404) return 'Not Found';
  if (status === 422) return 'Validation Failed';
  if (status >= 500)
    return status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'Server Error';
  return 'Error';
}

/** Whether the client asked for a custom media type, e.g. `raw` or `diff`. */
export function wantsMedia(context: RouteContext, format: 'raw' | 'diff'): boolean {
  const accept = String(context.headers.accept ?? '');
  return new RegExp(`application/vnd\\.github(?:\\.v3)?\\.${format}(?:[;,\\s]|$)`).test(accept);
}

/** Whether the client passed paging parameters. */
export function hasPaging(context: RouteContext): boolean {
  return context.query.per_page !== undefined || context.query.page !== undefined;
}

/**
 * One page of `items` with GitHub's `Link` header (`next`, `last`, `first`, `prev`), built on the
 * request's own URL so that `octokit.paginate` follows it.
 */
export function paginate<T>(
  context: RouteContext,
  items: readonly T[],
  options: { defaultPerPage?: number; maxPerPage?: number } = {},
): { items: T[]; headers: Record<string, string> } {
  const maxPerPage = options.maxPerPage ?? 100;
  const perPage = clamp(Number(context.query.per_page ?? options.defaultPerPage ?? 30), 1, maxPerPage);
  const page = Math.max(1, Math.floor(Number(context.query.page ?? 1)) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number, rel: string): string => {
    const query = new URLSearchParams({ ...context.query, per_page: String(perPage), page: String(p) });
    return `<${context.state.api}${context.path}?${query}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { items: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/** Base64 as GitHub sends blob and file contents: lines of 60 characters, each ending in `\n`. */
export function githubBase64(content: string): string {
  const encoded = Buffer.from(content, 'utf8').toString('base64');
  let out = '';
  for (let i = 0; i < encoded.length; i += 60) out += `${encoded.slice(i, i + 60)}\n`;
  return out;
}

/** Compiles a route template into a regular expression and its parameter names. */
export function compileTemplate(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  let source = '';
  for (const part of template.split(/(\{[a-z_]{1,40}\+?\})/)) {
    if (part.startsWith('{')) {
      const greedy = part.endsWith('+}');
      names.push(part.slice(1, greedy ? -2 : -1));
      source += greedy ? '(.{1,4096})' : '([^/]{1,1024})';
    } else {
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return { pattern: new RegExp(`^${source}$`), names };
}
