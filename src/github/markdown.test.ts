import { describe, expect, it } from 'vitest';
import { cell, code, plural, truncateUtf8 } from './markdown.js';

describe('code', () => {
  it('fences with more backticks than the text holds, and escapes table pipes', () => {
    expect(code('src/a.ts:3')).toBe('`src/a.ts:3`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('a|b\nc')).toBe('`a\\|b c`');
  });
});

describe('cell', () => {
  it('escapes Markdown markers and flattens lines', () => {
    expect(cell('a *b* | <c>\n_d_')).toBe('a \\*b\\* \\| \\<c\\> \\_d\\_');
  });
});

describe('plural', () => {
  it('says one or many', () => {
    expect(plural(1, 'finding')).toBe('1 finding');
    expect(plural(2, 'finding')).toBe('2 findings');
  });
});

describe('truncateUtf8', () => {
  it('leaves short text alone', () => {
    expect(truncateUtf8('short\n', 100, '…')).toBe('short\n');
  });

  it('cuts at a line end, within the byte budget, marker included', () => {
    const out = truncateUtf8('line one\nline two\nline three\n', 24, '[cut]');

    expect(out).toBe('line one\nline two\n[cut]');
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(24);
  });

  it('never splits a character when there is no line end to cut at', () => {
    const out = truncateUtf8('ééééé', 7, '!');

    expect(out).toBe('ééé!');
  });
});
