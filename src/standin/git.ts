import { createHash } from 'node:crypto';
import { type LinePatch, unifiedPatch } from './line-diff.js';

/**
 * The stand-in's git: blobs, commits with flat trees, branches, merge bases and tree diffs, in memory.
 * Blob shas are real git blob ids; commit and tree shas are sha-1 over a deterministic rendering, so the
 * same sequence of operations gives the same shas on every run.
 */

export const ZERO_SHA = '0000000000000000000000000000000000000000';

/** A commit's author or committer. `login` makes the REST `author` a GitHub user (else `null`). */
export interface GitIdentity {
  name: string;
  email: string;
  login?: string;
}

export interface GitCommit {
  sha: string;
  treeSha: string;
  parents: string[];
  /** Path → blob sha. */
  tree: ReadonlyMap<string, string>;
  message: string;
  author: GitIdentity;
  /** ISO 8601, from a logical clock (one minute per commit). */
  date: string;
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed';

/** One changed file between two trees, before limits are applied. */
export interface FileChange {
  filename: string;
  previousFilename?: string;
  status: FileStatus;
  /** The new blob (the old one for a removed file). */
  sha: string;
  oldSha?: string;
  additions: number;
  deletions: number;
  /** `undefined` for binary files. */
  patch?: string;
}

const CLOCK_START = Date.parse('2024-01-01T09:00:00Z');

/** Git's blob id: sha-1 of `blob <size>\0<content>`. */
export function blobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The git objects of one repository. */
export class GitStore {
  readonly blobs = new Map<string, string>();
  readonly commits = new Map<string, GitCommit>();
  readonly branches = new Map<string, string>();
  readonly #patches = new Map<string, LinePatch | null>();
  #clock = 0;

  constructor(private readonly maxEdits?: number) {}

  /** Commits `files` (path → content, `null` deletes) on top of `parents`; returns the commit. */
  commit(
    parents: readonly string[],
    files: Record<string, string | null>,
    message: string,
    author: GitIdentity,
  ): GitCommit {
    const base = parents[0] ? this.get(parents[0]).tree : new Map<string, string>();
    const tree = new Map(base);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) {
        tree.delete(path);
        continue;
      }
      const sha = blobSha(content);
      this.blobs.set(sha, content);
      tree.set(path, sha);
    }
    const treeSha = sha1(
      [...tree.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([path, sha]) => `100644 ${path}\0${sha}`)
        .join('\n'),
    );
    this.#clock++;
    const date = new Date(CLOCK_START + this.#clock * 60_000).toISOString().replace('.000Z', 'Z');
    const seconds = Math.floor(Date.parse(date) / 1000);
    const header = [`tree ${treeSha}`, ...parents.map((p) => `parent ${p}`)];
    header.push(`author ${author.name} <${author.email}> ${seconds} +0000`);
    header.push(`committer ${author.name} <${author.email}> ${seconds} +0000`);
    const sha = sha1(`${header.join('\n')}\n\n${message}\n`);
    const commit: GitCommit = { sha, treeSha, parents: [...parents], tree, message, author, date };
    this.commits.set(sha, commit);
    return commit;
  }

  get(sha: string): GitCommit {
    const commit = this.commits.get(sha);
    if (!commit) throw new Error(`no commit ${sha}`);
    return commit;
  }

  /**
   * A sha from a ref as GitHub accepts it: a full or abbreviated (7+) sha, a branch name,
   * `refs/heads/<branch>` or `heads/<branch>`, or `HEAD` (the default branch, given).
   */
  resolve(ref: string, defaultBranch: string): string | undefined {
    if (ref === 'HEAD') return this.branches.get(defaultBranch);
    const branch = ref.replace(/^refs\/heads\//, '').replace(/^heads\//, '');
    const head = this.branches.get(branch);
    if (head) return head;
    if (this.commits.has(ref)) return ref;
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const matches = [...this.commits.keys()].filter((sha) => sha.startsWith(ref));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  /** Every commit reachable from `sha`, itself included. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...this.get(next).parents);
    }
    return seen;
  }

  /** The nearest common ancestor of two commits (breadth-first from `head`), or `undefined`. */
  mergeBase(base: string, head: string): string | undefined {
    const fromBase = this.ancestors(base);
    const queue = [head];
    const seen = new Set<string>();
    for (let i = 0; i < queue.length; i++) {
      const sha = queue[i]!;
      if (fromBase.has(sha)) return sha;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...this.get(sha).parents);
    }
    return undefined;
  }

  /** Commits reachable from `head` but not from `base` (`git log base..head`), oldest first. */
  between(base: string | undefined, head: string): GitCommit[] {
    const excluded = base ? this.ancestors(base) : new Set<string>();
    const picked = [...this.ancestors(head)].filter((sha) => !excluded.has(sha)).map((sha) => this.get(sha));
    return picked.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  /** The files that differ between two trees, sorted by name; exact renames are detected. */
  diffTrees(
    before: ReadonlyMap<string, string>,
    after: ReadonlyMap<string, string>,
    limits: { patchBytes: number },
  ): FileChange[] {
    const added: string[] = [];
    const removed: string[] = [];
    const changes: FileChange[] = [];
    for (const [path, sha] of after) {
      const old = before.get(path);
      if (old === undefined) added.push(path);
      else if (old !== sha) changes.push(this.change(path, 'modified', old, sha, limits));
    }
    for (const path of before.keys()) if (!after.has(path)) removed.push(path);

    const removedBySha = new Map<string, string>();
    for (const path of removed) removedBySha.set(before.get(path)!, path);
    const renamedFrom = new Set<string>();
    for (const path of added) {
      const sha = after.get(path)!;
      const from = removedBySha.get(sha);
      if (from !== undefined && !renamedFrom.has(from)) {
        renamedFrom.add(from);
        changes.push({
          filename: path,
          previousFilename: from,
          status: 'renamed',
          sha,
          oldSha: sha,
          additions: 0,
          deletions: 0,
        });
      } else {
        changes.push(this.change(path, 'added', undefined, sha, limits));
      }
    }
    for (const path of removed) {
      if (!renamedFrom.has(path))
        changes.push(this.change(path, 'removed', before.get(path), undefined, limits));
    }
    return changes.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  }

  private change(
    filename: string,
    status: FileStatus,
    oldSha: string | undefined,
    newSha: string | undefined,
    limits: { patchBytes: number },
  ): FileChange {
    const sha = newSha ?? oldSha!;
    const change: FileChange = { filename, status, sha, additions: 0, deletions: 0 };
    if (oldSha) change.oldSha = oldSha;
    const diff = this.patch(oldSha, newSha);
    if (!diff) return change;
    change.additions = diff.additions;
    change.deletions = diff.deletions;
    if (diff.patch !== '' && Buffer.byteLength(diff.patch) <= limits.patchBytes) change.patch = diff.patch;
    return change;
  }

  /** The line diff of two blobs (cached), or `null` when either is binary. */
  private patch(oldSha: string | undefined, newSha: string | undefined): LinePatch | null {
    const key = `${oldSha ?? ''}:${newSha ?? ''}`;
    const cached = this.#patches.get(key);
    if (cached !== undefined) return cached;
    const before = oldSha ? this.blobs.get(oldSha)! : '';
    const after = newSha ? this.blobs.get(newSha)! : '';
    const result =
      before.includes('\0') || after.includes('\0') ? null : unifiedPatch(before, after, this.maxEdits);
    this.#patches.set(key, result);
    return result;
  }
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
