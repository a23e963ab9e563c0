import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';
import { anthropic } from './index.js';

const engine = compileRules(allRules);

function sampleOf(id: string, seed: string): string {
  const rule = anthropic.rules.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule.sample(seed);
}

describe('anthropic rules', () => {
  it('samples 108-character keys that end in AA', () => {
    const key = sampleOf('anthropic.api-key', 'shape');

    expect(key).toHaveLength(108);
    expect(key.endsWith('AA')).toBe(true);
  });

  it('tells the four kinds apart in one file', () => {
    const ids = [
      'anthropic.api-key',
      'anthropic.admin-key',
      'anthropic.oauth-access-token',
      'anthropic.oauth-refresh-token',
    ];
    const text = ids.map((id, n) => `KEY_${n}=${sampleOf(id, 'mixed')}`).join('\n');

    const found = scanText(text, engine).map((finding) => [finding.line, finding.ruleId]);

    expect(found).toEqual(ids.map((id, n) => [n + 1, id]));
  });

  it('rejects an api03 key whose closing AA is missing', () => {
    const key = `sk-ant-api03-${fake('no-aa', 93, ALPHABETS.base64url)}Ab`;

    expect(scanText(`ANTHROPIC_API_KEY=${key}`, engine)).toEqual([]);
  });

  it('accepts OAuth tokens of other lengths in the observed range', () => {
    const token = `sk-ant-oat01-${fake('oauth-len', 86, ALPHABETS.base64url)}`;

    const [finding] = scanText(`CLAUDE_CODE_OAUTH_TOKEN=${token}`, engine);

    expect(finding?.ruleId).toBe('anthropic.oauth-access-token');
    expect(finding?.secret.reveal()).toBe(token);
  });

  it('rates admin keys critical and redacts to the prefix and four characters', () => {
    const key = sampleOf('anthropic.admin-key', 'redact');

    const [finding] = scanText(`admin: ${key}`, engine);

    expect(finding?.severity).toBe('critical');
    expect(finding?.redacted).toBe(`sk-ant-admin01-…${key.slice(-4)}`);
  });
});
