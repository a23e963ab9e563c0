import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

describe('together.api-key', () => {
  const key = `tgp_v1_${fake('together.test', 43, ALPHABETS.base64url)}`;

  it('finds the key bare and reports the prefix only', () => {
    const [finding] = scanText(`here is my key ${key} thanks`, engine);

    expect(finding?.ruleId).toBe('together.api-key');
    expect(finding?.secret.reveal()).toBe(key);
    expect(finding?.redacted).toBe(`tgp_v1_…${key.slice(-4)}`);
  });

  it('rejects low-entropy bodies of the right length', () => {
    const low = `tgp_v1_${'ab'.repeat(21)}a`;
    expect(scanText(`TOGETHER_API_KEY=${low}`, engine)).toEqual([]);
  });

  it('does not treat an identifier starting with the prefix as a key', () => {
    expect(scanText('def tgp_v1_legacy_migration_step_one_for_the_billing_db(): pass', engine)).toEqual([]);
  });
});
