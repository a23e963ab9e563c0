import { describe, expect, it } from 'vitest';
import { diffToFragments } from './diff.js';

const GIT_DIFF = [
  'diff --git a/src/app.py b/src/app.py',
  'index 83db48f..bf269f4 100644',
  '--- a/src/app.py',
  '+++ b/src/app.py',
  '@@ -1,4 +1,5 @@',
  ' import os',
  '-KEY = "old"',
  '+KEY = "new"',
  '+++ not a header, an added line that starts with two plus signs',
  ' ',
  ' def main():',
  '@@ -20,2 +21,3 @@ def main():',
  '     pass',
  '+    return 1',
  '\\ No newline at end of file',
  'diff --git a/gone.txt b/gone.txt',
  'deleted file mode 100644',
  'index 83db48f..0000000',
  '--- a/gone.txt',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-secret',
  'diff --git a/logo.png b/logo.png',
  'new file mode 100644',
  'index 0000000..bf269f4',
  'Binary files /dev/null and b/logo.png differ',
  'diff --git a/old/name.env b/new/name.env',
  'similarity index 90%',
  'rename from old/name.env',
  'rename to new/name.env',
  '--- a/old/name.env',
  '+++ b/new/name.env',
  '@@ -3,0 +4 @@',
  '+TOKEN=abc',
  '',
].join('\n');

describe('diffToFragments', () => {
  it('keeps only added lines, numbered as in the new file', () => {
    const { fragments } = diffToFragments(GIT_DIFF);

    expect(fragments[0]).toEqual({
      path: 'src/app.py',
      text: 'KEY = "new"\n++ not a header, an added line that starts with two plus signs\n    return 1',
      lineNumbers: [2, 3, 22],
    });
  });

  it('skips deleted and binary files, and reports them', () => {
    const { fragments, skipped } = diffToFragments(GIT_DIFF);

    expect(fragments.map((fragment) => fragment.path)).toEqual(['src/app.py', 'new/name.env']);
    expect(skipped).toEqual([
      { path: 'gone.txt', reason: 'deleted' },
      { path: 'logo.png', reason: 'binary' },
    ]);
  });

  it('reports renamed files under their new path', () => {
    const { fragments } = diffToFragments(GIT_DIFF);

    expect(fragments[1]).toEqual({ path: 'new/name.env', text: 'TOKEN=abc', lineNumbers: [4] });
  });

  it('handles CRLF line ends', () => {
    const { fragments } = diffToFragments(GIT_DIFF.replaceAll('\n', '\r\n'));

    expect(fragments[0]!.text).toBe(
      'KEY = "new"\n++ not a header, an added line that starts with two plus signs\n    return 1',
    );
    expect(fragments[0]!.lineNumbers).toEqual([2, 3, 22]);
  });

  it('reads plain `diff -u` output with several files', () => {
    const diff = [
      '--- a.txt\t2024-01-01 00:00:00',
      '+++ a.txt\t2024-01-02 00:00:00',
      '@@ -1 +1,2 @@',
      ' one',
      '+two',
      '--- b.txt',
      '+++ b.txt',
      '@@ -0,0 +1 @@',
      '+first',
    ].join('\n');

    const { fragments } = diffToFragments(diff);

    expect(fragments).toEqual([
      { path: 'a.txt', text: 'two', lineNumbers: [2] },
      { path: 'b.txt', text: 'first', lineNumbers: [1] },
    ]);
  });

  it('unquotes paths git quotes', () => {
    const diff = [
      'diff --git "a/dir/na\\303\\257ve \\"x\\".txt" "b/dir/na\\303\\257ve \\"x\\".txt"',
      '--- "a/dir/na\\303\\257ve \\"x\\".txt"',
      '+++ "b/dir/na\\303\\257ve \\"x\\".txt"',
      '@@ -0,0 +1 @@',
      '+hello',
    ].join('\n');

    expect(diffToFragments(diff).fragments[0]!.path).toBe('dir/naïve "x".txt');
  });

  it('rejects text that is not a diff', () => {
    expect(() => diffToFragments('just some words\nand more')).toThrow(/not a unified diff/);
  });

  it('accepts an empty diff', () => {
    expect(diffToFragments('')).toEqual({ fragments: [], skipped: [] });
  });
});
