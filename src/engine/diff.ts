import type { Fragment } from './types.js';

/**
 * Unified diffs (`git diff`, `diff -u`) to fragments of added lines. Only `+` lines are kept, each with
 * its line number in the new file; removed and context lines, deleted files and binary files are left
 * out. Renames report the new path; CRLF line ends and `\ No newline at end of file` are handled.
 */

export interface SkippedFile {
  path: string;
  reason: 'deleted' | 'binary';
}

export interface DiffFragments {
  fragments: Fragment[];
  skipped: SkippedFile[];
}

interface FileState {
  path: string;
  deleted: boolean;
  binary: boolean;
  /** A `---`/`+++` pair was read for this file (a second pair starts the next file in `diff -u`). */
  headed: boolean;
  lines: string[];
  lineNumbers: number[];
}

const HUNK = /^@@ -\d{1,10}(?:,(\d{1,10}))? \+(\d{1,10})(?:,(\d{1,10}))? @@/;

/** Parses a unified diff. Throws on text that has no diff structure at all. */
export function diffToFragments(diff: string): DiffFragments {
  const fragments: Fragment[] = [];
  const skipped: SkippedFile[] = [];
  let file: FileState | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  let newLine = 0;
  let sawStructure = false;

  const finish = () => {
    if (!file) return;
    if (file.deleted) skipped.push({ path: file.path, reason: 'deleted' });
    else if (file.binary) skipped.push({ path: file.path, reason: 'binary' });
    else if (file.lines.length > 0) {
      fragments.push({ path: file.path, text: file.lines.join('\n'), lineNumbers: file.lineNumbers });
    }
    file = undefined;
  };
  const start = (path: string) => {
    finish();
    file = { path, deleted: false, binary: false, headed: false, lines: [], lineNumbers: [] };
    oldLeft = 0;
    newLeft = 0;
  };

  const lines = diff.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;

    if (file && (oldLeft > 0 || newLeft > 0)) {
      const mark = line[0];
      if (mark === '+') {
        file.lines.push(line.slice(1));
        file.lineNumbers.push(newLine++);
        newLeft--;
        continue;
      }
      if (mark === '-') {
        oldLeft--;
        continue;
      }
      if (mark === ' ' || line === '') {
        oldLeft--;
        newLeft--;
        newLine++;
        continue;
      }
      if (mark === '\\') continue;
      // Anything else ends the hunk early (a truncated diff); read it as a header below.
      oldLeft = 0;
      newLeft = 0;
    }

    if (line.startsWith('diff --git ')) {
      sawStructure = true;
      start(pathFromGitHeader(line));
    } else if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      sawStructure = true;
      const oldPath = parsePath(line.slice(4));
      const next = lines[i + 1]!;
      const newPath = parsePath((next.endsWith('\r') ? next.slice(0, -1) : next).slice(4));
      i++;
      if (!file || file.headed) start(newPath ?? oldPath ?? 'unknown');
      const current = file as unknown as FileState;
      current.headed = true;
      if (newPath === undefined) current.deleted = true;
      else current.path = newPath;
    } else if (line.startsWith('@@ ')) {
      const hunk = HUNK.exec(line);
      if (!hunk || !file) continue;
      sawStructure = true;
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLine = Number(hunk[2]);
      newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
    } else if (file && line.startsWith('deleted file mode')) {
      file.deleted = true;
    } else if (file && line.startsWith('rename to ')) {
      file.path = unquote(line.slice('rename to '.length));
    } else if (file && (line.startsWith('Binary files ') || line === 'GIT binary patch')) {
      file.binary = true;
    }
  }
  finish();

  if (!sawStructure && diff.trim().length > 0) {
    throw new Error('not a unified diff: no "diff --git", "---/+++" or "@@" header found');
  }
  return { fragments, skipped };
}

/** `diff --git a/x b/y` → `y` (quoted paths unescaped). */
function pathFromGitHeader(line: string): string {
  const rest = line.slice('diff --git '.length);
  const quoted = /^"(?:[^"\\]|\\.){0,4096}" "((?:[^"\\]|\\.){0,4096})"$/.exec(rest);
  if (quoted) return stripPrefix(unquote(`"${quoted[1]}"`));
  const half = rest.indexOf(' b/');
  return stripPrefix(half >= 0 ? rest.slice(half + 1) : (rest.split(' ')[1] ?? rest));
}

/** The path of a `---`/`+++` line, or `undefined` for `/dev/null`. */
function parsePath(text: string): string | undefined {
  const path = unquote(text.split('\t')[0]!.trimEnd());
  if (path === '/dev/null') return undefined;
  return stripPrefix(path);
}

function stripPrefix(path: string): string {
  return path.startsWith('a/') || path.startsWith('b/') ? path.slice(2) : path;
}

/** Git's C-style quoting: `"dir/na\303\257ve \"x\".txt"`. */
function unquote(text: string): string {
  if (!(text.startsWith('"') && text.endsWith('"') && text.length >= 2)) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
