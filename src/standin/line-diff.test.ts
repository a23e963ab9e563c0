import { describe, expect, it } from 'vitest';
import { fake } from '../rules/examples.js';
import { splitLines, unifiedPatch } from './line-diff.js';

/** Applies a GitHub-style patch (hunks only) to `before`; throws when a context or removed line differs. */
function applyPatch(before: string, patch: string): string {
  const old = splitLines(before);
  const out: string[] = [];
  let cursor = 0;
  const lines = patch === '' ? [] : patch.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = /^@@ -(\d{1,9})(?:,(\d{1,9}))? \+\d{1,9}(?:,\d{1,9})? @@$/.exec(lines[i]!);
    if (!header) throw new Error(`expected a hunk header at line ${i}: ${lines[i]}`);
    const oldStart = Number(header[1]);
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const from = oldCount === 0 ? oldStart : oldStart - 1;
    while (cursor < from) out.push(old[cursor++]!);
    while (i + 1 < lines.length && !lines[i + 1]!.startsWith('@@')) {
      const line = lines[++i]!;
      const noNewline = lines[i + 1] === '\\ No newline at end of file';
      if (noNewline) i++;
      const text = line.slice(1) + (noNewline ? '' : '\n');
      if (line[0] === '+') {
        out.push(text);
        continue;
      }
      if (old[cursor] !== text) throw new Error(`line ${cursor + 1} does not match: ${JSON.stringify(line)}`);
      cursor++;
      if (line[0] === ' ') out.push(text);
    }
  }
  while (cursor < old.length) out.push(old[cursor++]!);
  return out.join('');
}

/** A deterministic sequence of numbers in [0, 1) from a seed, for generated edits. */
function numbers(seed: string, count: number): number[] {
  return [...fake(seed, count, '0123456789')].map((digit) => Number(digit) / 10);
}

describe('unifiedPatch', () => {
  it('shows a modified line with three lines of context, as GitHub does', () => {
    const before = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n';
    const after = 'one\ntwo\nthree\nfour\nFIVE\nsix\nseven\neight\n';

    const result = unifiedPatch(before, after);

    expect(result).toEqual({
      patch: '@@ -2,7 +2,7 @@\n two\n three\n four\n-five\n+FIVE\n six\n seven\n eight',
      additions: 1,
      deletions: 1,
    });
  });

  it('numbers an added file from line 1 and a removed one from line 1 of the old side', () => {
    expect(unifiedPatch('', 'a\nb\n')).toEqual({
      patch: '@@ -0,0 +1,2 @@\n+a\n+b',
      additions: 2,
      deletions: 0,
    });
    expect(unifiedPatch('a\n', '')).toEqual({ patch: '@@ -1 +0,0 @@\n-a', additions: 0, deletions: 1 });
  });

  it('marks a last line without a newline', () => {
    const result = unifiedPatch('a\nb', 'a\nb\nc\n');

    expect(result.patch).toBe('@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c');
  });

  it('splits distant changes into separate hunks and merges close ones', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`);
    const distant = [...lines];
    distant[2] = 'changed 3\n';
    distant[25] = 'changed 26\n';
    const close = [...lines];
    close[2] = 'changed 3\n';
    close[8] = 'changed 9\n';

    const apart = unifiedPatch(lines.join(''), distant.join('')).patch;
    const together = unifiedPatch(lines.join(''), close.join('')).patch;

    expect(apart.split('\n').filter((l) => l.startsWith('@@'))).toEqual([
      '@@ -1,6 +1,6 @@',
      '@@ -23,7 +23,7 @@',
    ]);
    expect(together.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,12 +1,12 @@']);
  });

  it('is empty for identical texts', () => {
    expect(unifiedPatch('same\n', 'same\n')).toEqual({ patch: '', additions: 0, deletions: 0 });
  });

  it('produces patches that turn the old text into the new one (generated edits)', () => {
    for (let round = 0; round < 40; round++) {
      const base = Array.from(
        { length: 60 },
        (_, i) => `value_${i % 7} = ${fake(`line-${round}-${i}`, 6)}\n`,
      );
      const next = [...base];
      for (const [j, r] of numbers(`edits-${round}`, 12).entries()) {
        const at = Math.floor(r * next.length);
        if (j % 3 === 0) next.splice(at, 1);
        else if (j % 3 === 1) next.splice(at, 0, `inserted ${round}-${j}\n`);
        else next[at] = `replaced ${round}-${j}\n`;
      }
      const before = base.join('');
      const after = round % 5 === 0 ? next.join('').replace(/\n$/, '') : next.join('');

      const { patch, additions, deletions } = unifiedPatch(before, after);

      expect(applyPatch(before, patch)).toBe(after);
      const body = patch.split('\n').filter((l) => !l.startsWith('@@'));
      expect(body.filter((l) => l.startsWith('+')).length).toBe(additions);
      expect(body.filter((l) => l.startsWith('-')).length).toBe(deletions);
    }
  });

  it('still gives a correct (non-minimal) patch past the edit bound', () => {
    const before = Array.from({ length: 200 }, (_, i) => `old ${i}\n`).join('');
    const after = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? `old ${i}\n` : `new ${i}\n`)).join('');

    const bounded = unifiedPatch(before, after, 10);
    const minimal = unifiedPatch(before, after);

    expect(applyPatch(before, bounded.patch)).toBe(after);
    expect(bounded.deletions).toBeGreaterThan(minimal.deletions);
    expect(minimal).toMatchObject({ additions: 100, deletions: 100 });
  });
});
