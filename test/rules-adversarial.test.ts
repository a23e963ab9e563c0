import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../src/engine/scan.js';
import { ALPHABETS, fake } from '../src/rules/examples.js';
import { allRules } from '../src/rules/registry.js';
import type { Rule } from '../src/rules/types.js';

/**
 * Megabyte-long inputs built to make a pattern backtrack: keywords repeated with nothing between them,
 * a keyword followed by a megabyte of characters its body accepts, a real example whose secret runs on
 * for a megabyte. They must come back with the right answer; speed on them is measured by
 * `npm run bench` (adversarial section), not here.
 */

const MEGABYTE = 1 << 20;
const engine = compileRules(allRules);

function fill(unit: string, size = MEGABYTE): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Named builders, so a megabyte is only made when its test runs. */
function junkInputs(rule: Rule): Array<[string, () => string]> {
  const inputs: Array<[string, () => string]> = [];
  for (const keyword of rule.keywords) {
    const upper = keyword.toUpperCase();
    inputs.push(
      [`${keyword} repeated`, () => fill(keyword)],
      [`${upper} repeated`, () => fill(upper)],
      [`${keyword}= repeated`, () => fill(`${keyword}=`)],
      [`${keyword} then a run of one character`, () => keyword + fill('a')],
      [
        `${keyword} then random base64url`,
        () => keyword + fake(`${rule.id}:${keyword}`, MEGABYTE, ALPHABETS.base64url),
      ],
      [
        `${keyword} then random hex`,
        () => keyword + fake(`${rule.id}:${keyword}:hex`, MEGABYTE, ALPHABETS.hexLower),
      ],
      [`${keyword}= then spaces`, () => `${keyword} = "${fill(' ')}`],
    );
  }
  return inputs;
}

describe.each(allRules.map((rule) => [rule.id, rule] as const))(
  'rule %s on adversarial input',
  (_id, rule) => {
    it('keywords repeated, or followed by a megabyte its body accepts: no finding', () => {
      for (const [name, build] of junkInputs(rule)) {
        const found = scanText(build(), engine).filter((finding) => finding.ruleId === rule.id);

        expect(
          found.map((finding) => finding.redacted),
          name,
        ).toEqual([]);
      }
    });
  },
);

const tokenLike = allRules.filter((rule) => /[A-Za-z0-9]$/.test(rule.examples().positive[0]!.secret));

describe.each(tokenLike.map((rule) => [rule.id, rule] as const))('rule %s on a run-on token', (_id, rule) => {
  it('a secret that runs on for a megabyte: no finding', () => {
    const [example] = rule.examples().positive;
    const text = example!.text.replace(example!.secret, example!.secret + fill(example!.secret.slice(-3)));

    const found = scanText(text, engine).filter((finding) => finding.ruleId === rule.id);

    expect(found.map((finding) => finding.redacted)).toEqual([]);
  });
});

describe.each(allRules.map((rule) => [rule.id, rule] as const))('rule %s at scale', (_id, rule) => {
  it('a megabyte of positive examples, one per line: every one found', () => {
    const [example] = rule.examples().positive;
    const lines = Math.ceil(MEGABYTE / (example!.text.length + 1));
    const text = Array.from({ length: lines }, () => example!.text).join('\n');

    const found = scanText(text, engine).filter((finding) => finding.ruleId === rule.id);

    expect(found.length).toBe(lines * example!.text.split(example!.secret).length - lines);
  });
});
