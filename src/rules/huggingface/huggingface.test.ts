import { describe, expect, it } from 'vitest';
import { scanText } from '../../engine/scan.js';
import { allRules } from '../registry.js';
import { hasMixedCase, huggingfaceOrgToken, huggingfaceUserToken } from './index.js';

describe('huggingface tokens', () => {
  it('rejects 34-letter bodies that lack either letter case', () => {
    const lower = 'abcdefghijklmnopqrstuvwxyzabcdefgh'.split('').reverse().join('');

    expect(hasMixedCase(`hf_${lower}`, 'hf_')).toBe(false);
    expect(hasMixedCase(`hf_${lower.toUpperCase()}`, 'hf_')).toBe(false);
    expect(hasMixedCase(`hf_${lower.slice(0, 30)}ABCD`, 'hf_')).toBe(false);
    expect(hasMixedCase(`hf_${lower.slice(0, 29)}ABCDE`, 'hf_')).toBe(true);
  });

  it('reports a user token in a notebook cell with its position and redaction', () => {
    const token = huggingfaceUserToken.sample('cell');

    const findings = scanText(`{\n "source": [\n  "login(\\"${token}\\")\\n"\n ]\n}`, allRules);

    expect(findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['huggingface.user-token', 3, 12]]);
    expect(findings[0]!.redacted).toBe(`hf_…${token.slice(-4)}`);
  });

  it('keeps the user and organisation tokens apart', () => {
    const user = huggingfaceUserToken.sample('pair');
    const org = huggingfaceOrgToken.sample('pair');

    const findings = scanText(`HF_TOKEN=${user}\nHF_ORG_TOKEN=${org}\n`, allRules);

    expect(findings.map((f) => f.ruleId)).toEqual(['huggingface.user-token', 'huggingface.org-token']);
  });
});
