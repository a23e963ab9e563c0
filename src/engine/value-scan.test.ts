import { describe, expect, it } from 'vitest';
import { fake } from '../rules/examples.js';
import { bare } from '../rules/regex.js';
import { valueScanner } from './value-scan.js';

function viaRegex(shape: RegExp, text: string, from: number, to: number): Array<[number, number]> {
  const regex = new RegExp(shape.source, 'g');
  const slice = text.slice(from, to);
  return [...slice.matchAll(regex)].map((match) => [
    from + match.index,
    from + match.index + match[0].length,
  ]);
}

function viaScanner(shape: RegExp, text: string, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  valueScanner(shape)(text, from, to, (start, end) => out.push([start, end]));
  return out;
}

describe('valueScanner', () => {
  it.each([
    ['hex, 4', bare('[a-f0-9]{4}')],
    ['alnum, 3 to 5', bare('[A-Za-z0-9]{3,5}')],
    ['base64, left and right boundaries differ', bare('[A-Za-z0-9/+]{4}', 'A-Za-z0-9/+', 'A-Za-z0-9/+=_-')],
    ['not a single class (regular expression path)', bare('sk-[a-f0-9]{4}')],
  ])('finds exactly what the regular expression finds: %s', (_name, shape) => {
    for (let seed = 0; seed < 200; seed++) {
      const text = fake(`value-scan-${seed}`, 300, 'abcdef0123xyzAB_-=/+ nmrt\n');
      const from = seed % 7;
      const to = text.length - (seed % 5);

      expect(viaScanner(shape, text, from, to)).toEqual(viaRegex(shape, text, from, to));
    }
  });

  it('agrees on a megabyte-long run of a letter that may precede a value', () => {
    const text = `x=${'n'.repeat(1 << 20)}`;
    const shape = bare('[A-Za-z0-9]{40}');

    expect(viaScanner(shape, text, 0, text.length)).toEqual(viaRegex(shape, text, 0, text.length));
  });
});
