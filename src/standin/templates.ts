import { createRequire } from 'node:module';
import type { AccountType, RepoState } from './state.js';

/**
 * GitHub's own example objects (`@octokit/webhooks-examples`), rewritten to point at stand-in data. The
 * stand-in builds its users, repositories and pull requests from them, for REST answers and webhook
 * payloads alike, so every field GitHub sends is there with GitHub's types.
 */

type Json = Record<string, unknown>;

interface ExampleDefinition {
  name: string;
  examples: Json[];
}

const EXAMPLE_OWNER = 'Codertocat';
const EXAMPLE_REPO = 'Codertocat/Hello-World';

let definitions: ExampleDefinition[] | undefined;

/** A deep copy of the first example of `event` that `pick` accepts. */
export function example(event: string, pick: (payload: Json) => boolean): Json {
  if (!definitions) {
    const require = createRequire(import.meta.url);
    definitions = require('@octokit/webhooks-examples/api.github.com/index.json') as ExampleDefinition[];
  }
  const found = definitions.find((d) => d.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no ${event} example in @octokit/webhooks-examples`);
  return structuredClone(found);
}

/** Replaces every occurrence of each `from` by its `to` in every string of `value`, in place. */
export function rewrite<T>(value: T, replacements: ReadonlyArray<readonly [string, string]>): T {
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') {
      let out = node;
      for (const [from, to] of replacements) out = out.split(from).join(to);
      return out;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = visit(node[i]);
      return node;
    }
    if (node && typeof node === 'object') {
      const record = node as Json;
      for (const key of Object.keys(record)) record[key] = visit(record[key]);
    }
    return node;
  };
  return visit(value) as T;
}

/** The replacements that move GitHub URLs to the stand-in. */
export function hostReplacements(urls: { api: string; web: string }): Array<[string, string]> {
  return [
    ['https://api.github.com', urls.api],
    ['https://github.com', urls.web],
  ];
}

/** A stable positive id for an account name (GitHub ids are opaque integers). */
export function accountId(login: string): number {
  let hash = 0x811c9dc5;
  for (const char of login.toLowerCase()) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 1_000_000 + (hash % 90_000_000);
}

/** GitHub's legacy global node id: base64 of `0<len>:<Type><id>`. */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}

/**
 * A user, organization or App bot user as the REST API and webhooks show one (`simple-user`). A bot's
 * login (`keywarden[bot]`) is percent-encoded in its URLs and its page is the App's, as on GitHub.
 */
export function accountJson(
  urls: { api: string; web: string },
  login: string,
  type: AccountType | 'Bot' = 'User',
): Json {
  const id = accountId(login);
  const template = example('push', (p) => typeof p.sender === 'object').sender as Json;
  const user = rewrite(template, [
    [`https://avatars1.githubusercontent.com/u/21031067`, `https://avatars.githubusercontent.com/u/${id}`],
    [EXAMPLE_OWNER, encodeURIComponent(login)],
    ...hostReplacements(urls),
  ]);
  user.login = login;
  if (type === 'Bot') user.html_url = `${urls.web}/apps/${login.replace(/\[bot\]$/, '')}`;
  user.id = id;
  user.node_id = nodeId(type, id);
  user.type = type;
  return user;
}

/**
 * A repository in the shape GitHub sends it. `push` keeps the push payload's integer `created_at` and
 * `pushed_at`; `default` uses ISO strings (REST answers and other payloads).
 */
export function repositoryJson(
  urls: { api: string; web: string },
  state: RepoState,
  ownerType: AccountType,
  style: 'push' | 'default',
): Json {
  const template =
    style === 'push'
      ? (example('push', (p) => p.ref === 'refs/heads/master').repository as Json)
      : (example('pull_request', (p) => p.action === 'opened' && p.installation !== undefined)
          .repository as Json);
  const { repo } = state;
  const json = rewrite(template, [[EXAMPLE_REPO, state.fullName], ...hostReplacements(urls)]);
  json.id = repo.id;
  json.node_id = nodeId('Repository', repo.id);
  json.name = repo.name;
  json.full_name = state.fullName;
  json.private = repo.private ?? false;
  json.visibility = repo.private ? 'private' : 'public';
  json.owner = accountJson(urls, repo.owner, ownerType);
  json.default_branch = repo.defaultBranch;
  if ('master_branch' in json) json.master_branch = repo.defaultBranch;
  json.fork = false;
  json.forks = 0;
  json.forks_count = 0;
  json.open_issues = 0;
  json.open_issues_count = 0;
  return json;
}
