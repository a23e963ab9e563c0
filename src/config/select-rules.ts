import type { Rule } from '../rules/types.js';
import type { RulesConfig } from './schema.js';

export interface SelectedRules {
  rules: Rule[];
  /** Ids in `enable`/`disable` that name no rule and no family (typos, or rules of a newer version). */
  unknown: string[];
}

/**
 * The rules a config turns on: all of them, or only those listed in `enable` (rule or family ids),
 * minus those listed in `disable`.
 *
 * @example selectRules(allRules, { disable: ['aws', 'openai.legacy-key'] })
 */
export function selectRules(rules: readonly Rule[], config: RulesConfig): SelectedRules {
  const known = new Set(rules.flatMap((rule) => [rule.id, rule.provider]));
  const refs = [...(config.enable ?? []), ...config.disable];
  const unknown = [...new Set(refs.filter((ref) => !known.has(ref)))];
  const matches = (rule: Rule, list: readonly string[]) =>
    list.includes(rule.id) || list.includes(rule.provider);
  const selected = rules.filter(
    (rule) => (config.enable === undefined || matches(rule, config.enable)) && !matches(rule, config.disable),
  );
  return { rules: selected, unknown };
}
