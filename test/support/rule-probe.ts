import { compileRules, scanText } from '../../src/engine/scan.js';
import type { DropReason } from '../../src/engine/types.js';
import type { Rule } from '../../src/rules/types.js';

/**
 * What a rule family's own tests look at, through the real engine: the findings (rule id and raw value,
 * which only tests may reveal) and the reasons candidates were dropped.
 */
export function ruleProbe(rules: readonly Rule[]) {
  const engine = compileRules(rules);
  return {
    findings(text: string): Array<{ ruleId: string; secret: string }> {
      return scanText(text, engine).map((finding) => ({
        ruleId: finding.ruleId,
        secret: finding.secret.reveal(),
      }));
    },
    dropReasons(text: string): DropReason[] {
      const reasons: DropReason[] = [];
      scanText(text, engine, { onDrop: (dropped) => reasons.push(dropped.reason) });
      return reasons;
    },
  };
}
