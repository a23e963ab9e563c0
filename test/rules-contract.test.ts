import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../src/engine/scan.js';
import { allRules } from '../src/rules/registry.js';
import { CREDENTIAL_CLASSES, SEVERITIES } from '../src/rules/types.js';
import { unsafeReason } from './support/regex-safety.js';

/**
 * The contract every rule signs: well-formed metadata, a safe pattern, and its own proof (positive and
 * near-miss examples) passing through the real engine with every other rule loaded.
 */

const engine = compileRules(allRules);

describe.each(allRules.map((rule) => [rule.id, rule] as const))('rule %s', (_id, rule) => {
  it('has well-formed metadata', () => {
    expect(rule.id).toMatch(new RegExp(`^${rule.provider}\\.[a-z0-9]+(?:-[a-z0-9]+)*$`));
    expect(rule.title.length).toBeGreaterThan(3);
    expect(CREDENTIAL_CLASSES).toContain(rule.class);
    expect(SEVERITIES).toContain(rule.severity);
    expect(rule.keywords.length).toBeGreaterThan(0);
    for (const keyword of rule.keywords) {
      expect(keyword).toMatch(/^[\x20-\x7e]{3,}$/);
      expect(keyword).toBe(keyword.toLowerCase());
    }
    expect(rule.pattern.source).toContain('(?<secret>');
    expect(rule.pattern.flags).not.toMatch(/[gy]/);
    if (rule.revokeUrl !== undefined) expect(rule.revokeUrl).toMatch(/^https:\/\//);
  });

  it('has a pattern that cannot backtrack catastrophically', () => {
    expect(unsafeReason(rule.pattern)).toBeUndefined();
    if (rule.valueShape) expect(unsafeReason(rule.valueShape)).toBeUndefined();
  });

  it('has a value shape, if any, that every secret it reports fits', () => {
    if (!rule.valueShape) return;
    expect(rule.anchor).toBe('window');
    const shape = new RegExp(rule.valueShape.source, 'gd');
    for (const example of rule.examples().positive) {
      const at = example.text.indexOf(example.secret);
      const starts = [...example.text.matchAll(shape)].map((match) => [match.index, match[0]]);
      expect(starts, example.text.slice(0, 60)).toContainEqual([at, example.secret]);
    }
  });

  it('proves itself with positive examples', () => {
    const { positive } = rule.examples();
    expect(positive.length).toBeGreaterThanOrEqual(2);
    for (const example of positive) {
      const found = scanText(example.text, engine).filter((finding) => finding.ruleId === rule.id);
      expect(
        found.map((finding) => finding.secret.reveal()),
        example.text.slice(0, 60),
      ).toEqual([example.secret]);
    }
  });

  it('proves itself with near-miss negative examples', () => {
    const { negative } = rule.examples();
    expect(negative.length).toBeGreaterThanOrEqual(3);
    for (const text of negative) {
      const found = scanText(text, engine).filter((finding) => finding.ruleId === rule.id);
      expect(
        found.map((finding) => finding.redacted),
        text.slice(0, 60),
      ).toEqual([]);
    }
  });

  it('starts prefix secrets with a keyword, as the engine assumes', () => {
    if (rule.anchor !== 'prefix') return;
    for (const example of rule.examples().positive) {
      const lower = example.secret.toLowerCase();
      expect(rule.keywords.some((keyword) => lower.startsWith(keyword))).toBe(true);
    }
  });

  it('samples fresh secrets that the engine finds in the first example context', () => {
    const [first] = rule.examples().positive;
    expect(first).toBeDefined();
    for (const seed of ['contract-1', 'contract-2', 'contract-3']) {
      const secret = rule.sample(seed);
      expect(secret).not.toBe(first!.secret);
      const text = first!.text.replace(first!.secret, secret);
      const found = scanText(text, engine).filter((finding) => finding.ruleId === rule.id);
      expect(found.map((finding) => finding.secret.reveal())).toEqual([secret]);
    }
    expect(rule.sample('same')).toBe(rule.sample('same'));
  });

  it('never shows more than the prefix and last four characters', () => {
    const [first] = rule.examples().positive;
    const [finding] = scanText(first!.text, engine).filter((f) => f.ruleId === rule.id);
    expect(finding).toBeDefined();
    const shown = finding!.redacted.split('…');
    expect(shown).toHaveLength(2);
    expect(shown[1]!.length).toBeLessThanOrEqual(4);
    expect(JSON.stringify(finding)).not.toContain(first!.secret);
    expect(String(finding!.secret)).toBe(finding!.redacted);
  });
});

describe('rule set', () => {
  it('has unique ids', () => {
    const ids = allRules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
