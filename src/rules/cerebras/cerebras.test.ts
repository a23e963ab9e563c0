import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function cerebrasSecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'cerebras.api-key')
    .map((finding) => finding.secret.reveal());
}

describe('cerebras.api-key', () => {
  const body = fake('cerebras.test', 48, ALPHABETS.alnumLower);

  it('accepts both prefixes and a body with `_` and `-`', () => {
    const mixed = `${body.slice(0, 10)}_${body.slice(11, 30)}-${body.slice(31)}`;
    expect(cerebrasSecrets(`CEREBRAS_API_KEY=csk-${body}`)).toEqual([`csk-${body}`]);
    expect(cerebrasSecrets(`CEREBRAS_API_KEY=csk_${body}`)).toEqual([`csk_${body}`]);
    expect(cerebrasSecrets(`CEREBRAS_API_KEY=csk-${mixed}`)).toEqual([`csk-${mixed}`]);
  });

  it('never claims a Pinecone `pcsk_` key', () => {
    const pinecone = `pcsk_${fake('cerebras.test:pc', 48, ALPHABETS.alnum)}`;
    expect(cerebrasSecrets(`PINECONE_API_KEY=${pinecone}`)).toEqual([]);
  });

  it('rejects a run that continues past 48', () => {
    expect(cerebrasSecrets(`csk-${body}${body}`)).toEqual([]);
  });
});
