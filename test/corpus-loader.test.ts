import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fake } from '../src/rules/examples.js';
import type { Rule } from '../src/rules/types.js';
import { contextOf, corrupt, fillTemplate, placeholder, pngBase64 } from './corpus/load.js';

/** A self-contained rule so these tests do not depend on any family's format. */
const demo: Rule = {
  id: 'demo.token',
  provider: 'demo',
  title: 'Demo token',
  class: 'model-api',
  severity: 'low',
  keywords: ['dmox'],
  anchor: 'prefix',
  pattern: /(?<secret>dmox[a-z0-9]{20}[0-9])/,
  validate: (secret) => Number(secret.at(-1)) === secret.length % 10,
  sample: (seed) => `dmox${fake(seed, 20, 'abcdefghijklmnopqrstuvwxyz0123456789')}5`,
  examples: () => ({ positive: [], negative: [] }),
};

describe('fillTemplate', () => {
  it('reports each planted key at its line and column after earlier substitutions', () => {
    const template = 'a = "@@KW:demo.token@@" # @@KW:demo.token#2@@\n\tb: @@KW:demo.token@@\n';

    const { text, expected } = fillTemplate('dir/file.py', template, [demo]);

    const first = demo.sample('dir/file.py|demo.token|1');
    const second = demo.sample('dir/file.py|demo.token|2');
    expect(text).toBe(`a = "${first}" # ${second}\n\tb: ${first}\n`);
    expect(expected.map(({ line, column, ruleId }) => ({ line, column, ruleId }))).toEqual([
      { line: 1, column: 6, ruleId: 'demo.token' },
      { line: 1, column: 10 + first.length, ruleId: 'demo.token' },
      { line: 2, column: 5, ruleId: 'demo.token' },
    ]);
    expect(first).not.toBe(second);
  });

  it('plants near misses without expecting a finding', () => {
    const template = 'x = "@@BADCHECKSUM:demo.token@@"\ny = "@@PLACEHOLDER:demo.token@@"\n';

    const { text, expected, plantedNegatives } = fillTemplate('f.ts', template, [demo]);

    const [bad, held] = [...text.matchAll(/"([^"]{1,60})"/g)].map((match) => match[1]!);
    expect(expected).toEqual([]);
    expect(plantedNegatives).toBe(2);
    expect(bad).toMatch(demo.pattern);
    expect(demo.validate!(bad!)).toBe(false);
    expect(held).toBe(`dmox${'x'.repeat(21)}`);
  });

  it('writes list-form PNG payloads as one JSON string per line, keeping the planted key whole', () => {
    const template = '{"image/png": [\n  @@PNGLINES:demo.token@@\n]}\n';

    const { text } = fillTemplate('n.ipynb', template, [demo]);

    const lines: string[] = JSON.parse(text)['image/png'];
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.slice(0, -1).every((line) => line.endsWith('\n'))).toBe(true);
    expect(lines.some((line) => line.includes(`/${demo.sample('n.ipynb|demo.token|1')}/`))).toBe(true);
  });

  it('rejects unknown rules and rules without a validator for BADCHECKSUM', () => {
    const noValidator = { ...demo, validate: undefined };

    expect(() => fillTemplate('f', '@@KW:demo.nope@@', [demo])).toThrow(/unknown rule demo\.nope/);
    expect(() => fillTemplate('f', '@@BADCHECKSUM:demo.token@@', [noValidator])).toThrow(/has none/);
  });
});

describe('helpers', () => {
  it('builds a decodable PNG', () => {
    const png = Buffer.from(pngBase64('seed'), 'base64');

    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const idatLength = png.readUInt32BE(33);
    expect(inflateSync(png.subarray(41, 41 + idatLength)).length).toBe(24 * (1 + 48 * 3));
  });

  it('corrupts one character and keeps the prefix', () => {
    const key = demo.sample('k');

    const bad = corrupt(demo, key, 'here');

    expect(bad.startsWith('dmox')).toBe(true);
    expect(bad.length).toBe(key.length);
    expect([...bad].filter((ch, i) => ch !== key[i]).length).toBe(1);
  });

  it('keeps only the keyword prefix in a placeholder', () => {
    expect(placeholder(demo, 'dmoxabc1')).toBe('dmoxxxxx');
  });

  it('classifies paths by file type', () => {
    expect(
      [
        'a/.env',
        'b/prod.env',
        'Dockerfile.gpu',
        'x.yml',
        'main.tf',
        'n.ipynb',
        'r.jsonl',
        'm.mjs',
        'c.css',
      ].map(contextOf),
    ).toEqual(['env', 'env', 'dockerfile', 'yaml', 'terraform', 'notebook', 'json', 'js-ts', 'other']);
  });
});
