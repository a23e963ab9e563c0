import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function elevenFindings(text: string): Array<[string, string]> {
  return scanText(text, engine)
    .filter((finding) => finding.provider === 'elevenlabs')
    .map((finding) => [finding.ruleId, finding.secret.reveal()]);
}

describe('elevenlabs.api-key', () => {
  const key = `sk_${fake('elevenlabs.test', 48, ALPHABETS.hexLower)}`;

  it('finds the key with no provider name around it', () => {
    expect(elevenFindings(`voice_key = "${key}"`)).toEqual([['elevenlabs.api-key', key]]);
  });

  it('drops `sk_` glued to an identifier and other `sk_` families', () => {
    expect(elevenFindings(`task_${key}`)).toEqual([]);
    expect(elevenFindings(`disk_${key}`)).toEqual([]);
    expect(elevenFindings('disk_size: 48; risk_score: 0.2')).toEqual([]);
    expect(elevenFindings(`sk_test_${key.slice(3)}`)).toEqual([]);
  });

  it('shows only `sk_` and the last four characters', () => {
    const [finding] = scanText(`ELEVENLABS_API_KEY=${key}`, engine);
    expect(finding?.redacted).toBe(`sk_…${key.slice(-4)}`);
  });
});

describe('elevenlabs.legacy-api-key', () => {
  const key = fake('elevenlabs.test:legacy', 32, ALPHABETS.hexLower);

  it('finds a 32-hex key in the xi-api-key header', () => {
    expect(elevenFindings(`-H "xi-api-key: ${key}"`)).toEqual([['elevenlabs.legacy-api-key', key]]);
    expect(elevenFindings(`XI_API_KEY=${key}`)).toEqual([['elevenlabs.legacy-api-key', key]]);
  });

  it('needs the name to stand alone and to name a key', () => {
    expect(elevenFindings(`TAXI_API_KEY=${key}`)).toEqual([]);
    expect(elevenFindings(`ELEVENLABS_VOICE_ID=${key}`)).toEqual([]);
    expect(elevenFindings(`md5sum: ${key}`)).toEqual([]);
  });

  it('leaves a current key to the current rule', () => {
    const current = `sk_${fake('elevenlabs.test:current', 48, ALPHABETS.hexLower)}`;
    expect(elevenFindings(`ELEVENLABS_API_KEY=${current}`)).toEqual([['elevenlabs.api-key', current]]);
  });
});
