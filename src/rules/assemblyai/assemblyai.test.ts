import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';
import { isDashlessUuidV4 } from './index.js';

const engine = compileRules(allRules);

function assemblySecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'assemblyai.api-key')
    .map((finding) => finding.secret.reveal());
}

/** 32 hex with the given version and variant nibbles. */
function hexWith(version: string, variant: string): string {
  const hex = fake('assemblyai.test', 32, ALPHABETS.hexLower);
  return `${hex.slice(0, 12)}${version}${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
}

describe('assemblyai.api-key', () => {
  it('checks the dashless UUID v4 structure', () => {
    expect(isDashlessUuidV4(hexWith('4', '8'))).toBe(true);
    expect(isDashlessUuidV4(hexWith('4', 'b'))).toBe(true);
    expect(isDashlessUuidV4(hexWith('1', '8'))).toBe(false);
    expect(isDashlessUuidV4(hexWith('4', 'c'))).toBe(false);
    expect(isDashlessUuidV4(hexWith('4', '8').slice(1))).toBe(false);
  });

  it('reports only UUID v4 values under the provider name', () => {
    const key = hexWith('4', '9');
    expect(assemblySecrets(`ASSEMBLYAI_API_KEY=${key}`)).toEqual([key]);
    expect(assemblySecrets(`ASSEMBLYAI_API_KEY=${hexWith('5', '9')}`)).toEqual([]);
    expect(assemblySecrets(`ASSEMBLYAI_API_KEY=${hexWith('4', '0')}`)).toEqual([]);
  });

  it('finds the SDK settings form and needs `aai` to stand alone', () => {
    const key = hexWith('4', 'a');
    expect(assemblySecrets(`import assemblyai as aai\naai.settings.api_key = "${key}"`)).toEqual([key]);
    expect(assemblySecrets(`baai.settings.api_key = "${key}"`)).toEqual([]);
    expect(assemblySecrets(`settings.api_key = "${key}"`)).toEqual([]);
  });

  it('skips transcript ids under the provider name', () => {
    expect(assemblySecrets(`assemblyai_transcript_id: ${hexWith('4', '8')}`)).toEqual([]);
  });
});
