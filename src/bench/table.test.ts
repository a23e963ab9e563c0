import { describe, expect, it } from 'vitest';
import { counts, guardedPrinter, renderTable, renderTargets } from './table.js';

describe('renderTable', () => {
  it('pads columns, left-aligning the first and right-aligning the rest', () => {
    expect(
      renderTable(
        ['tool', 'MB/s'],
        [
          ['a', '1.0'],
          ['long name', '100.0'],
        ],
      ),
    ).toEqual(['tool        MB/s', '---------  -----', 'a            1.0', 'long name  100.0']);
  });
});

describe('renderTargets', () => {
  it('prints PASS or FAIL next to each target', () => {
    const lines = renderTargets([
      { name: 'fast', actual: '2', required: '>= 1', pass: true },
      { name: 'slow', actual: '0', required: '>= 1', pass: false },
    ]);

    expect(lines.slice(2).map((line) => line.split(/\s+/).at(-1))).toEqual(['PASS', 'FAIL']);
  });
});

describe('counts', () => {
  it('lists the largest counts first and says how many were left out', () => {
    const map = new Map([
      ['b', 1],
      ['a', 3],
      ['c', 1],
    ]);

    expect(counts(map, 2)).toBe('a ×3, b ×1, … 1 more');
    expect(counts(new Map())).toBe('none');
  });
});

describe('guardedPrinter', () => {
  it('replaces a guarded value and counts the replacement', () => {
    const written: string[] = [];
    const value = `guarded-${'q'.repeat(4)}-value`;
    const out = guardedPrinter([value], (line) => written.push(line));

    out.print(`before ${value} after`);
    out.print('clean');

    expect(written).toEqual(['before [planted key] after', 'clean']);
    expect(out.replaced).toBe(1);
  });
});
