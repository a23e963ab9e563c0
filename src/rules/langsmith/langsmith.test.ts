import { describe, expect, it } from 'vitest';
import { ruleProbe } from '../../../test/support/rule-probe.js';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { hasUuidBody, langsmith, langsmithKey } from './index.js';

const engine = compileRules(langsmith.rules);
const { findings, dropReasons } = ruleProbe(langsmith.rules);

describe('langsmith keys', () => {
  it('reports personal access tokens and service keys, each keeping its prefix in the redacted form', () => {
    const pat = langsmithKey('lsv2_pt_', 'kinds');
    const service = langsmithKey('lsv2_sk_', 'kinds');

    const found = scanText(`LANGSMITH_API_KEY=${pat}\nLANGCHAIN_API_KEY=${service}`, engine);

    expect(found.map((finding) => [finding.ruleId, finding.secret.reveal()])).toEqual([
      ['langsmith.api-key', pat],
      ['langsmith.api-key', service],
    ]);
    expect(found.map((finding) => finding.redacted)).toEqual([
      `lsv2_pt_…${pat.slice(-4)}`,
      `lsv2_sk_…${service.slice(-4)}`,
    ]);
  });

  it('checks the UUID version and variant nibbles of the key id', () => {
    const uuid = `${'3f2a9c1e7b4d'}4${'a1c'}9${'0e5b7d2f4a6c8e1'}`;

    expect(hasUuidBody(`lsv2_pt_${uuid}_${'8450beb7ca'}`)).toBe(true);
    expect(hasUuidBody(`lsv2_pt_${uuid.slice(0, 12)}0${uuid.slice(13)}_${'8450beb7ca'}`)).toBe(false);
    expect(hasUuidBody(`lsv2_pt_${uuid.slice(0, 16)}c${uuid.slice(17)}_${'8450beb7ca'}`)).toBe(false);
  });

  it('drops a key whose id is not a UUID, as invalid structure', () => {
    const key = `lsv2_sk_${fake('not-uuid', 12, ALPHABETS.hexLower)}0${fake('not-uuid-2', 19, ALPHABETS.hexLower)}_${fake('tail', 10, ALPHABETS.hexLower)}`;

    expect(findings(`LANGSMITH_API_KEY=${key}`)).toEqual([]);
    expect(dropReasons(`LANGSMITH_API_KEY=${key}`)).toEqual(['invalid-structure']);
  });

  it('ignores legacy ls__ keys and lookalike identifiers', () => {
    const text = [
      `LANGCHAIN_API_KEY=ls__${fake('legacy', 32, ALPHABETS.hexLower)}`,
      'lsv2_pt_token_value_here',
      `my_lsv2_pt_${langsmithKey('', 'glued')}`,
    ].join('\n');

    expect(findings(text)).toEqual([]);
  });

  it('samples valid, deterministic keys of both kinds', () => {
    const [rule] = langsmith.rules;
    const samples = ['a', 'b', 'c', 'd', 'e', 'f'].map((seed) => rule!.sample(seed));

    expect(new Set(samples.map((secret) => secret.slice(0, 8)))).toEqual(new Set(['lsv2_pt_', 'lsv2_sk_']));
    for (const secret of samples) {
      expect(findings(`api_key: ${secret}`)).toEqual([{ ruleId: 'langsmith.api-key', secret }]);
    }
    expect(rule!.sample('a')).toBe(samples[0]);
  });
});
