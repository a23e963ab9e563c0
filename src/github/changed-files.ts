import { diffToFragments } from '../engine/diff.js';
import type { Fragment } from '../engine/types.js';
import { isRetryable } from './errors.js';
import type { Octokit, RepoRef } from './types.js';

/**
 * Turns the changed-file entries GitHub lists (compare, commit, pull request files) into fragments of
 * added lines. A file's `patch` is parsed with the engine's diff parser; a file GitHub lists without a
 * `patch` although lines changed (its diff is too large to show) is fetched as a blob and scanned whole.
 */

/** A changed file as the compare, commit and pull request files endpoints list it (only what is read). */
export interface ChangedFile {
  filename: string;
  status: string;
  /** The blob sha of the file's new version. */
  sha?: string | null;
  patch?: string;
  additions?: number;
  deletions?: number;
  changes?: number;
}

/** What was scanned and what was not, for one push or pull request. */
export interface ChangedFragments {
  /** Added lines per file (with their line numbers), or whole files fetched as blobs. */
  fragments: Fragment[];
  /** Blob sha of the scanned version of each path. */
  blobShas: Map<string, string>;
  /**
   * What could not be scanned and why. `path` is empty for a limit that concerns no single file
   * (too many commits, too many files).
   */
  unscanned: Array<{ path: string; reason: string }>;
}

/** Limits that keep one scan's cost bounded. */
export interface DiffOptions {
  /** Blobs larger than this are not scanned (recorded in `unscanned`). Default 8 MiB. */
  maxBlobBytes?: number;
  /** At most this many commits are listed one by one when the compare API cannot be used. Default 1000. */
  maxCommits?: number;
  /** Paths the repository's config ignores: neither parsed nor fetched. */
  isIgnored?: (path: string) => boolean;
}

export const DEFAULT_MAX_BLOB_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_COMMITS = 1000;

/** Statuses whose new version holds nothing added. */
const NOTHING_ADDED = new Set(['removed', 'unchanged']);

/** Collects fragments across files and commits; a later version of a path replaces its blob sha. */
export class FragmentCollector {
  readonly #octokit: Octokit;
  readonly #repo: RepoRef;
  readonly #options: Required<Omit<DiffOptions, 'isIgnored'>> & Pick<DiffOptions, 'isIgnored'>;
  readonly #result: ChangedFragments = { fragments: [], blobShas: new Map(), unscanned: [] };
  readonly #noted = new Set<string>();

  constructor(octokit: Octokit, repo: RepoRef, options: DiffOptions = {}) {
    this.#octokit = octokit;
    this.#repo = repo;
    this.#options = {
      maxBlobBytes: options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES,
      maxCommits: options.maxCommits ?? DEFAULT_MAX_COMMITS,
      isIgnored: options.isIgnored,
    };
  }

  get maxCommits(): number {
    return this.#options.maxCommits;
  }

  /** Records something that could not be scanned (once per path and reason). */
  note(path: string, reason: string): void {
    const key = `${path}\n${reason}`;
    if (this.#noted.has(key)) return;
    this.#noted.add(key);
    this.#result.unscanned.push({ path, reason });
  }

  /** Adds the added lines of each file; fetches the blob of a file whose diff GitHub did not include. */
  async addFiles(files: readonly ChangedFile[]): Promise<void> {
    for (const file of files) await this.#addFile(file);
  }

  result(): ChangedFragments {
    return this.#result;
  }

  async #addFile(file: ChangedFile): Promise<void> {
    const path = file.filename;
    if (NOTHING_ADDED.has(file.status)) return;
    if (this.#options.isIgnored?.(path)) return;
    if (file.patch !== undefined) {
      this.#result.fragments.push(...patchFragments(path, file.patch));
      if (file.sha) this.#result.blobShas.set(path, file.sha);
      return;
    }
    // GitHub lists binary files (and empty ones, pure renames, mode changes) with no patch and no changes.
    if ((file.changes ?? (file.additions ?? 0) + (file.deletions ?? 0)) === 0) {
      if (file.status === 'added' || file.status === 'modified' || file.status === 'copied') {
        this.note(path, 'binary file: GitHub shows no text diff');
      }
      return;
    }
    if (!file.sha) {
      this.note(path, 'diff too large for GitHub to show, and no blob to fetch');
      return;
    }
    await this.#addBlob(path, file.sha);
  }

  /** Scans the whole new version of a file whose diff was too large: every line, not only added ones. */
  async #addBlob(path: string, sha: string): Promise<void> {
    let data: { content: string; encoding: string; size?: number | null };
    try {
      ({ data } = await this.#octokit.rest.git.getBlob({ ...this.#repo, file_sha: sha }));
    } catch (error) {
      if (isRetryable(error)) throw error;
      const status = (error as { status?: number }).status;
      this.note(
        path,
        `diff too large for GitHub to show, and the blob could not be fetched (HTTP ${status})`,
      );
      return;
    }
    const size = data.size ?? Math.floor((data.content.length * 3) / 4);
    if (size > this.#options.maxBlobBytes) {
      this.note(
        path,
        `file of ${formatBytes(size)} is above the ${formatBytes(this.#options.maxBlobBytes)} scan limit`,
      );
      return;
    }
    const bytes = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
    if (bytes.includes(0)) {
      this.note(path, 'binary file: contains NUL bytes');
      return;
    }
    this.#result.fragments.push({ path, text: bytes.toString('utf8') });
    this.#result.blobShas.set(path, sha);
  }
}

/**
 * The added lines of one file's `patch` (GitHub's hunks without the `diff`/`---`/`+++` header). A fixed
 * header is put in front so the engine's parser reads it; the real path is set afterwards, so names with
 * spaces, tabs or quotes need no escaping.
 */
export function patchFragments(path: string, patch: string): Fragment[] {
  const { fragments } = diffToFragments(`--- a/file\n+++ b/file\n${patch}`);
  return fragments.map((fragment) => ({ ...fragment, path }));
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
