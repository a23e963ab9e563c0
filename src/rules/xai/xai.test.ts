import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';
import { xai } from './index.js';

const engine = compileRules(allRules);
const [rule] = xai.rules;

describe('xai.api-key', () => {
  it('samples xai- and 80 alphanumerics', () => {
    expect(rule!.sample('shape')).toMatch(/^xai-[A-Za-z0-9]{80}$/);
  });

  it('accepts an underscore in the body, as trufflehog does', () => {
    const body = fake('xai:underscore', 80, ALPHABETS.alnum);
    const key = `xai-${body.slice(0, 30)}_${body.slice(31)}`;

    const [finding] = scanText(`XAI_API_KEY=${key}`, engine);

    expect(finding?.secret.reveal()).toBe(key);
  });

  it('finds two keys on one line', () => {
    const first = rule!.sample('one');
    const second = rule!.sample('two');

    const found = scanText(`keys = ["${first}", "${second}"]`, engine).map((f) => f.secret.reveal());

    expect(found).toEqual([first, second]);
  });

  it('ignores a run of one character', () => {
    expect(scanText(`XAI_API_KEY=xai-${'A'.repeat(80)}`, engine)).toEqual([]);
  });
});
