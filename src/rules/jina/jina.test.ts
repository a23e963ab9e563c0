import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function jinaSecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'jina.api-key')
    .map((finding) => finding.secret.reveal());
}

describe('jina.api-key', () => {
  const head = fake('jina.test', 32, ALPHABETS.hexLower);

  it('accepts tails of 27 and 28 with `_` and `-`', () => {
    const tail = fake('jina.test:tail', 28, ALPHABETS.base64url);
    const withMarks = `${tail.slice(0, 5)}_${tail.slice(6, 20)}-${tail.slice(21)}`;
    expect(jinaSecrets(`JINA_API_KEY=jina_${head}${tail}`)).toEqual([`jina_${head}${tail}`]);
    expect(jinaSecrets(`JINA_API_KEY=jina_${head}${tail.slice(1)}`)).toEqual([
      `jina_${head}${tail.slice(1)}`,
    ]);
    expect(jinaSecrets(`JINA_API_KEY=jina_${head}${withMarks}`)).toEqual([`jina_${head}${withMarks}`]);
  });

  it('needs the 32-hex head', () => {
    const notHex = fake('jina.test:alnum', 60, ALPHABETS.alnum);
    expect(jinaSecrets(`JINA_API_KEY=jina_${notHex}`)).toEqual([]);
  });

  it('ignores test doubles in code', () => {
    expect(jinaSecrets("expect(headers.Authorization).toBe('Bearer jina_test_key');")).toEqual([]);
  });
});
