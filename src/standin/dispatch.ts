import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Caller, defaultMessage, errorReply, JSON_TYPE, type Reply, type RouteContext } from './http.js';
import { matchRoute } from './routes/index.js';
import { findRepo, type RepoState, type StandinState } from './state.js';

/** The stand-in's HTTP handling: record, parse, validate, inject failures, authenticate, route, answer. */

export const API_PREFIX = '/api/v3';

/** One request the stand-in received. */
export interface StandinRequest {
  method: string;
  /** Without `/api/v3` and without the query, percent-decoded (`/repos/o/r/contents/.github/keywarden.yml`). */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body (`undefined` when none). */
  body: unknown;
  /** The status answered. */
  status: number;
  /** GitHub's operation id of the route that served it; `undefined` for a route the stand-in lacks. */
  operation: string | undefined;
}

/** The verdict of an optional request validator (e.g. the tests' OpenAPI check). */
export type RequestVerdict = { ok: true } | { ok: false; status: number; errors: string[] };

export type RequestValidator = (request: {
  method: string;
  path: string;
  body: string | undefined;
}) => RequestVerdict;

/** A failure to answer instead of the route, `remaining` more times. */
export interface Injection {
  method?: string | undefined;
  path: RegExp;
  status: number;
  remaining: number;
  headers: Record<string, string>;
}

export interface Dispatcher {
  state: StandinState;
  requests: StandinRequest[];
  injections: Injection[];
  validate: RequestValidator | undefined;
}

/** Serves one request; every request is recorded, whatever its outcome. */
export async function dispatch(d: Dispatcher, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', d.state.web);
  const method = (req.method ?? 'GET').toUpperCase();
  const raw = await readBody(req);
  const prefixed = url.pathname.startsWith(`${API_PREFIX}/`);
  const path = prefixed ? url.pathname.slice(API_PREFIX.length) : url.pathname;
  const query = Object.fromEntries(url.searchParams);
  const record: StandinRequest = {
    method,
    path: decoded(path),
    query,
    body: undefined,
    status: 0,
    operation: undefined,
  };
  d.requests.push(record);
  const send = (reply: Reply): void => {
    record.status = reply.status;
    respond(res, reply);
  };

  if (raw !== '') {
    try {
      record.body = JSON.parse(raw);
    } catch {
      send(errorReply(400, 'Problems parsing JSON'));
      return;
    }
  }
  if (!prefixed) {
    send(errorReply(404, 'Not Found'));
    return;
  }
  const matched = matchRoute(method, path);
  record.operation = matched?.route.operation;
  const verdict = d.validate?.({ method, path: `${path}${url.search}`, body: raw === '' ? undefined : raw });
  if (verdict && !verdict.ok) {
    const message = verdict.status === 404 ? 'Not Found' : `Invalid request.\n\n${verdict.errors.join('\n')}`;
    send(errorReply(verdict.status, message));
    return;
  }
  const injected = takeInjection(d.injections, method, record.path);
  if (injected) {
    send({ ...errorReply(injected.status, defaultMessage(injected.status)), headers: injected.headers });
    return;
  }
  if (!matched) {
    send(errorReply(404, 'Not Found'));
    return;
  }
  const caller = authenticate(d.state, req.headers.authorization);
  if (!caller) {
    send(errorReply(401, 'Bad credentials'));
    return;
  }
  const context: RouteContext = {
    state: d.state,
    params: matched.params,
    query,
    body: record.body,
    headers: req.headers,
    caller,
    path,
  };
  let repo: RepoState | undefined;
  if (matched.route.access === 'repo') {
    const access = repoAccess(context);
    if ('status' in access) {
      send(access);
      return;
    }
    repo = access.repo;
  }
  if (matched.route.access === 'org') {
    const refused = orgAccess(context);
    if (refused) {
      send(refused);
      return;
    }
  }
  try {
    send(matched.route.handle(context, repo));
  } catch (error) {
    send(errorReply(500, `stand-in error: ${(error as Error).message}`));
  }
}

function takeInjection(injections: Injection[], method: string, path: string): Injection | undefined {
  const found = injections.find(
    (i) => i.remaining > 0 && (i.method === undefined || i.method === method) && i.path.test(path),
  );
  if (found) found.remaining--;
  return found;
}

/** Installation tokens the stand-in issued, unexpired App JWTs (any signature), or nothing; else `undefined`. */
function authenticate(state: StandinState, header: string | undefined): Caller | undefined {
  if (!header) return { kind: 'anonymous' };
  const value = header.replace(/^(?:token|bearer)\s{1,10}/i, '');
  const token = state.tokens.get(value);
  if (token) return { kind: 'installation', installationId: token.installationId, appId: token.appId };
  const parts = value.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as {
      iss?: unknown;
      exp?: unknown;
    };
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return undefined;
    const appId = Number(claims.iss);
    return { kind: 'app', appId: Number.isFinite(appId) ? appId : null };
  } catch {
    return undefined;
  }
}

/** The repository of a `/repos/{owner}/{repo}` route, if this caller may read it (else GitHub's answer). */
function repoAccess(context: RouteContext): { repo: RepoState } | Reply {
  const repo = findRepo(context.state, context.params.owner!, context.params.repo!);
  if (!repo) return errorReply(404, 'Not Found');
  const { caller } = context;
  if (caller.kind === 'app') return errorReply(403, 'Resource not accessible by integration');
  if (caller.kind === 'installation') {
    const owner = context.state.installations.get(caller.installationId)?.owner;
    if (owner?.toLowerCase() !== repo.repo.owner.toLowerCase()) return errorReply(404, 'Not Found');
  }
  if (caller.kind === 'anonymous' && repo.repo.private) return errorReply(404, 'Not Found');
  return { repo };
}

/** GitHub's answer to a caller that is not an installation on the organization of an `/orgs/{org}` route. */
function orgAccess(context: RouteContext): Reply | undefined {
  const { caller } = context;
  if (caller.kind === 'app') return errorReply(403, 'Resource not accessible by integration');
  if (caller.kind === 'anonymous') return errorReply(401, 'Requires authentication');
  const owner = context.state.installations.get(caller.installationId)?.owner;
  return owner?.toLowerCase() === context.params.org!.toLowerCase()
    ? undefined
    : errorReply(404, 'Not Found');
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function respond(res: ServerResponse, reply: Reply): void {
  const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    'content-type': reply.text !== undefined ? (reply.contentType ?? 'text/plain; charset=utf-8') : JSON_TYPE,
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomUUID().toUpperCase(),
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    ...reply.headers,
  });
  res.end(text);
}
