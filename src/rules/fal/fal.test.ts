import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function falSecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'fal.api-key')
    .map((finding) => finding.secret.reveal());
}

describe('fal.api-key', () => {
  const id = fake('fal.test:id', 32, ALPHABETS.hexLower);
  const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
  const key = `${uuid}:${fake('fal.test', 32, ALPHABETS.hexLower)}`;

  it('reports the whole id:secret pair, not half of it', () => {
    expect(falSecrets(`FAL_KEY=${key}`)).toEqual([key]);
    expect(falSecrets(`headers={"Authorization": "Key ${key}"}  # fal.run`)).toEqual([key]);
  });

  it('needs a fal mention', () => {
    expect(falSecrets(`REPLICATE_KEY=${key}`)).toEqual([]);
  });

  it('does not read a bare UUID as a key', () => {
    expect(falSecrets(`FAL_KEY_ID=${uuid}`)).toEqual([]);
  });
});
