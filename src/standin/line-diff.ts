/**
 * Line diffs and unified-diff hunks for the stand-in GitHub, in the form GitHub's REST API puts in a
 * file's `patch`: hunks only (no `---`/`+++` header), three lines of context, `\ No newline at end of
 * file` markers, no trailing newline.
 */

/** A file's patch with its counts. `patch` is empty when nothing changed. */
export interface LinePatch {
  patch: string;
  additions: number;
  deletions: number;
}

type Op = 'equal' | 'delete' | 'insert';

interface Edit {
  op: Op;
  /** The line, with its `\n` when it has one. */
  line: string;
}

const CONTEXT = 3;
/** Past this many edits the middle of the file is replaced wholesale: a valid, non-minimal diff. */
const DEFAULT_MAX_EDITS = 2000;

/** Splits text into lines that keep their `\n` (`'a\nb'` → `['a\n', 'b']`, `''` → `[]`). */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end === -1) break;
    lines.push(text.slice(start, end + 1));
    start = end + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/**
 * The unified diff of two texts, as GitHub's `patch` field shows it.
 *
 * @example unifiedPatch('a\nb\n', 'a\nc\n') // → { patch: '@@ -1,2 +1,2 @@\n a\n-b\n+c', additions: 1, deletions: 1 }
 */
export function unifiedPatch(before: string, after: string, maxEdits = DEFAULT_MAX_EDITS): LinePatch {
  const edits = diffLines(splitLines(before), splitLines(after), maxEdits);
  let additions = 0;
  let deletions = 0;
  for (const edit of edits) {
    if (edit.op === 'insert') additions++;
    else if (edit.op === 'delete') deletions++;
  }
  return { patch: renderHunks(edits), additions, deletions };
}

function diffLines(a: readonly string[], b: readonly string[], maxEdits: number): Edit[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  const edits: Edit[] = a.slice(0, prefix).map((line) => ({ op: 'equal', line }));
  const oneSided = midA.length === 0 || midB.length === 0;
  const middle = (oneSided ? undefined : myers(midA, midB, maxEdits)) ?? [
    ...midA.map((line): Edit => ({ op: 'delete', line })),
    ...midB.map((line): Edit => ({ op: 'insert', line })),
  ];
  edits.push(...middle);
  for (const line of a.slice(a.length - suffix)) edits.push({ op: 'equal', line });
  return edits;
}

/** Myers' O(ND) diff; `undefined` when more than `maxEdits` edits are needed. */
function myers(a: readonly string[], b: readonly string[], maxEdits: number): Edit[] | undefined {
  const ids = new Map<string, number>();
  const idOf = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const x0 = Int32Array.from(a, idOf);
  const y0 = Int32Array.from(b, idOf);
  const n = x0.length;
  const m = y0.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[k] for k in [-d-1, d+1] as it was before step d: O(D²) memory, bounded by maxEdits.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    if (d > maxEdits) return undefined;
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && x0[x] === y0[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b);
    }
  }
  return backtrack(trace, a, b);
}

function backtrack(trace: readonly Int32Array[], a: readonly string[], b: readonly string[]): Edit[] {
  const reversed: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const saved = trace[d]!;
    const at = (k: number): number => saved[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      reversed.push({ op: 'equal', line: a[x - 1]! });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) reversed.push({ op: 'insert', line: b[prevY]! });
    else reversed.push({ op: 'delete', line: a[prevX]! });
    x = prevX;
    y = prevY;
  }
  return reversed.reverse();
}

function renderHunks(edits: readonly Edit[]): string {
  const changed: number[] = [];
  edits.forEach((edit, i) => {
    if (edit.op !== 'equal') changed.push(i);
  });
  if (changed.length === 0) return '';

  // Group changes whose gap of unchanged lines is small enough to share context.
  const groups: Array<[number, number]> = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] - 1 <= 2 * CONTEXT) last[1] = i;
    else groups.push([i, i]);
  }

  // Line numbers before each edit, in the old and the new file.
  const oldLine = new Int32Array(edits.length + 1);
  const newLine = new Int32Array(edits.length + 1);
  edits.forEach((edit, i) => {
    oldLine[i + 1] = oldLine[i]! + (edit.op === 'insert' ? 0 : 1);
    newLine[i + 1] = newLine[i]! + (edit.op === 'delete' ? 0 : 1);
  });

  const out: string[] = [];
  for (const [first, last] of groups) {
    const start = Math.max(0, first - CONTEXT);
    const end = Math.min(edits.length - 1, last + CONTEXT);
    const oldCount = oldLine[end + 1]! - oldLine[start]!;
    const newCount = newLine[end + 1]! - newLine[start]!;
    out.push(`@@ -${range(oldLine[start]!, oldCount)} +${range(newLine[start]!, newCount)} @@`);
    for (let i = start; i <= end; i++) {
      const edit = edits[i]!;
      const sign = edit.op === 'equal' ? ' ' : edit.op === 'delete' ? '-' : '+';
      if (edit.line.endsWith('\n')) {
        out.push(sign + edit.line.slice(0, -1));
      } else {
        out.push(sign + edit.line, '\\ No newline at end of file');
      }
    }
  }
  return out.join('\n');
}

/** Git's hunk range: `start,count`, `start` alone for one line, and the line before for an empty side. */
function range(linesBefore: number, count: number): string {
  if (count === 0) return `${linesBefore},0`;
  if (count === 1) return `${linesBefore + 1}`;
  return `${linesBefore + 1},${count}`;
}
