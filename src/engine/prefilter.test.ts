import { describe, expect, it } from 'vitest';
import { ALPHABETS, fake } from '../rules/examples.js';
import { buildPrefilter } from './prefilter.js';

function naive(text: string, keywords: readonly string[]): string[] {
  const lower = text.toLowerCase();
  const hits: string[] = [];
  keywords.forEach((keyword, index) => {
    for (let at = lower.indexOf(keyword); at !== -1; at = lower.indexOf(keyword, at + 1))
      hits.push(`${index}@${at}`);
  });
  return hits.sort();
}

function pairs(flat: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push(`${flat[i]}@${flat[i + 1]}`);
  return out.sort();
}

describe('buildPrefilter', () => {
  it('finds every keyword case-insensitively, overlapping ones included', () => {
    const keywords = ['sk-', 'sk-ant-', 'ant-api', 'hf_', 'akia'];
    const filter = buildPrefilter(keywords);

    const hits = pairs(filter.find('x SK-ANT-API03 hf_hf_ AKIAakia sk-'));

    expect(hits).toEqual(naive('x SK-ANT-API03 hf_hf_ AKIAakia sk-', keywords));
    expect(hits).toContain('1@2');
    expect(hits).toContain('2@5');
  });

  it('agrees with a naive search on random text', () => {
    const keywords = ['ab', 'abc', 'bca', 'c_a', 'a-b', 'xyz', 'zz'];
    const filter = buildPrefilter(keywords);
    for (let seed = 0; seed < 50; seed++) {
      const text = fake(`prefilter-${seed}`, 2000, 'abcABC_-xyzZ \n');

      expect(pairs(filter.find(text))).toEqual(naive(text, keywords));
    }
  });

  it('ignores characters outside ASCII without losing its place', () => {
    const filter = buildPrefilter(['gsk_']);

    expect(pairs(filter.find('ügsk_é gsk_'))).toEqual(['0@1', '0@7']);
  });

  it('reports nothing for text without keywords', () => {
    const filter = buildPrefilter(['nvapi-', 'pcsk_']);

    expect(filter.find(fake('none', 10_000, ALPHABETS.hexLower))).toEqual([]);
  });

  it('rejects keywords it cannot search for', () => {
    expect(() => buildPrefilter(['clé'])).toThrow(/printable ASCII/);
    expect(() => buildPrefilter([''])).toThrow(/printable ASCII/);
  });
});
