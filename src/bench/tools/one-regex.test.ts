import { describe, expect, it } from 'vitest';
import { ALPHABETS, fake } from '../../rules/examples.js';
import { matchLines, ONE_REGEX_FORMATS, oneRegex } from './one-regex.js';

describe('one-regex baseline', () => {
  it('has eight formats', () => {
    expect(ONE_REGEX_FORMATS).toHaveLength(8);
  });

  it('reports the line and format of each match', () => {
    const github = `ghp_${fake('bench:gh', 36, ALPHABETS.alnum)}`;
    const aws = `AKIA${fake('bench:aws', 16, ALPHABETS.alnumUpper)}`;
    const hf = `hf_${fake('bench:hf', 34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`;
    const text = ['first', 'second', `token = "${github}"`, '', `id=${aws} other=${hf}`].join('\n');

    expect(matchLines(text, oneRegex())).toEqual([
      [3, 'ghp_'],
      [5, 'AKIA'],
      [5, 'hf_'],
    ]);
  });

  it('finds nothing in ordinary code', () => {
    expect(matchLines('const sk = "sk-proj-short";\nAIza;\n', oneRegex())).toEqual([]);
  });
});
