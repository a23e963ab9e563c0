import { describe, expect, it } from 'vitest';
import type { Rule } from '../rules/types.js';
import { selectRules } from './select-rules.js';

function rule(id: string): Rule {
  return {
    id,
    provider: id.split('.')[0]!,
    title: id,
    class: 'model-api',
    severity: 'high',
    keywords: ['abc'],
    anchor: 'prefix',
    pattern: /(?<secret>abc[a-z]{3})/,
    sample: () => 'abcdef',
    examples: () => ({ positive: [], negative: [] }),
  };
}

const RULES = [rule('alpha.one'), rule('alpha.two'), rule('beta.one'), rule('gamma.one')];
const ids = (rules: readonly Rule[]) => rules.map((r) => r.id);

describe('selectRules', () => {
  it('keeps every rule by default', () => {
    expect(ids(selectRules(RULES, { disable: [] }).rules)).toEqual(ids(RULES));
  });

  it('disables families and single rules', () => {
    const selected = selectRules(RULES, { disable: ['alpha', 'gamma.one'] });

    expect(ids(selected.rules)).toEqual(['beta.one']);
    expect(selected.unknown).toEqual([]);
  });

  it('enables only what is listed, and disable wins over enable', () => {
    const selected = selectRules(RULES, { enable: ['alpha', 'beta.one'], disable: ['alpha.two'] });

    expect(ids(selected.rules)).toEqual(['alpha.one', 'beta.one']);
  });

  it('reports ids that name no rule or family', () => {
    const selected = selectRules(RULES, { enable: ['alpha', 'delta'], disable: ['alpha.three', 'delta'] });

    expect(selected.unknown).toEqual(['delta', 'alpha.three']);
  });
});
