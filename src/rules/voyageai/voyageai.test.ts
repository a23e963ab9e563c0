import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function voyageSecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'voyageai.api-key')
    .map((finding) => finding.secret.reveal());
}

describe('voyageai.api-key', () => {
  const key = `pa-${fake('voyageai.test', 43, ALPHABETS.base64url)}`;

  it('needs a voyage mention within the window', () => {
    expect(voyageSecrets(`VOYAGE_API_KEY=${key}`)).toEqual([key]);
    expect(voyageSecrets(`# embeddings via voyage-3\nEMBED_KEY=${key}`)).toEqual([key]);
    expect(voyageSecrets(`EMBED_KEY=${key}`)).toEqual([]);
    expect(voyageSecrets(`voyage: true\n${'#'.repeat(300)}\nEMBED_KEY=${key}`)).toEqual([]);
  });

  it('ignores CSS utility classes and words that start with `pa-`', () => {
    expect(voyageSecrets('<div class="voyage-card pa-4 ma-2">')).toEqual([]);
  });
});
