import type { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isIgnoredPath } from '../engine/allowlist.js';
import type { Fragment } from '../engine/types.js';

/** Why a file or folder was not scanned. */
export type SkipReason =
  | 'excluded-directory'
  | 'symlink'
  | 'special-file'
  | 'binary'
  | 'too-large'
  | 'ignored-path'
  | 'unreadable'
  | 'deleted';

/** Every reason, in the order reports list them. */
export const SKIP_REASONS = [
  'excluded-directory',
  'symlink',
  'special-file',
  'binary',
  'too-large',
  'ignored-path',
  'unreadable',
  'deleted',
] as const satisfies readonly SkipReason[];

export type SkipCounts = Record<SkipReason, number>;

/** A count of zero for every reason. */
export function emptySkipCounts(): SkipCounts {
  return Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as SkipCounts;
}

/** Folder names never descended into. */
export const EXCLUDED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/** How many leading bytes are checked for a NUL byte to tell binary files from text. */
export const BINARY_SNIFF_BYTES = 8 * 1024;

/** A file to read: its absolute path and the path reported in findings. */
export interface FileEntry {
  absolute: string;
  path: string;
}

export interface WalkOptions {
  /** Reported paths are relative to this folder, with `/` separators. */
  base: string;
  /** Globs (relative to `base`) of files not to scan. */
  ignore: readonly string[];
  onSkip: (reason: SkipReason) => void;
}

/** `absolute` relative to `base`, POSIX separators. */
export function reportedPath(base: string, absolute: string): string {
  const path = relative(base, absolute);
  return sep === '/' ? path : path.split(sep).join('/');
}

/**
 * The files under `roots` (absolute paths of folders or files), depth first in name order, each once.
 * Skips `.git` and `node_modules`, symbolic links below the roots (never followed), special files and
 * ignored paths, reporting each skip through `onSkip`.
 */
export async function* walkFiles(roots: readonly string[], options: WalkOptions): AsyncGenerator<FileEntry> {
  const seen = new Set<string>();
  const visit = (absolute: string): FileEntry | undefined => {
    if (seen.has(absolute)) return undefined;
    seen.add(absolute);
    const path = reportedPath(options.base, absolute);
    if (options.ignore.length > 0 && isIgnoredPath(path, options.ignore)) {
      options.onSkip('ignored-path');
      return undefined;
    }
    return { absolute, path };
  };

  for (const root of roots) {
    if (!(await stat(root)).isDirectory()) {
      const entry = visit(root);
      if (entry) yield entry;
      continue;
    }
    const stack: string[] = [root];
    while (stack.length > 0) {
      const folder = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch {
        options.onSkip('unreadable');
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subfolders: string[] = [];
      for (const dirent of entries) {
        const absolute = join(folder, dirent.name);
        if (dirent.isSymbolicLink()) {
          options.onSkip('symlink');
        } else if (dirent.isDirectory()) {
          if (EXCLUDED_DIRECTORIES.has(dirent.name)) options.onSkip('excluded-directory');
          else subfolders.push(absolute);
        } else if (dirent.isFile()) {
          const entry = visit(absolute);
          if (entry) yield entry;
        } else {
          options.onSkip('special-file');
        }
      }
      // Reversed so the stack pops them in name order.
      for (let i = subfolders.length - 1; i >= 0; i--) stack.push(subfolders[i]!);
    }
  }
}

/** The outcome of reading one file: its text as a fragment, or why it was skipped. */
export type ReadResult = { fragment: Fragment } | { skipped: SkipReason };

/**
 * Reads a file as UTF-8 text (a leading byte-order mark dropped), unless it is larger than
 * `maxFileSize` bytes, has a NUL byte in its first 8 KiB (binary), or cannot be read.
 */
export async function readTextFile(entry: FileEntry, maxFileSize: number): Promise<ReadResult> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(entry.absolute, 'r');
    const stats = await handle.stat();
    if (!stats.isFile()) return { skipped: 'special-file' };
    if (stats.size > maxFileSize) return { skipped: 'too-large' };
    const buffer = await handle.readFile();
    if (buffer.length > maxFileSize) return { skipped: 'too-large' };
    if (buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { skipped: 'binary' };
    let text = buffer.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { fragment: { path: entry.path, text } };
  } catch {
    return { skipped: 'unreadable' };
  } finally {
    await handle?.close();
  }
}

/**
 * Reads the walked files with up to `concurrency` reads in flight and hands each text to `onFragment`
 * as soon as it is read, so memory holds at most `concurrency` files at a time.
 */
export async function forEachTextFile(
  entries: AsyncIterable<FileEntry>,
  options: { maxFileSize: number; concurrency: number; onSkip: (reason: SkipReason) => void },
  onFragment: (fragment: Fragment) => void,
): Promise<void> {
  const iterator = entries[Symbol.asyncIterator]();
  const worker = async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const result = await readTextFile(next.value, options.maxFileSize);
      if ('skipped' in result) options.onSkip(result.skipped);
      else onFragment(result.fragment);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}
