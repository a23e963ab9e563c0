import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function mistralSecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'mistral.api-key')
    .map((finding) => finding.secret.reveal());
}

describe('mistral.api-key', () => {
  const key = fake('mistral.test', 32, ALPHABETS.alnum);

  it('finds keys under mistral and codestral names and in SDK constructors', () => {
    expect(mistralSecrets(`MISTRAL_API_KEY="${key}"`)).toEqual([key]);
    expect(mistralSecrets(`CODESTRAL_API_KEY=${key}`)).toEqual([key]);
    expect(mistralSecrets(`llm = ChatMistralAI(api_key="${key}", model="mistral-large-latest")`)).toEqual([
      key,
    ]);
    expect(mistralSecrets(`llm = ChatMistralAI(mistral_api_key="${key}")`)).toEqual([key]);
  });

  it('does not take model names or revisions for keys', () => {
    const revision = fake('mistral.test:rev', 32, ALPHABETS.hexLower);
    expect(mistralSecrets('model: mistralai/Mistral-7B-Instruct-v0.3')).toEqual([]);
    expect(mistralSecrets(`mistral_revision = "${revision}"`)).toEqual([]);
    expect(mistralSecrets(`MISTRAL_API_KEY=${revision}`)).toEqual([]);
  });

  it('keeps the exact length', () => {
    expect(mistralSecrets(`MISTRAL_API_KEY=${key.slice(0, 31)}`)).toEqual([]);
    expect(mistralSecrets(`MISTRAL_API_KEY=${key}${key.slice(0, 8)}`)).toEqual([]);
  });

  it('leaves references alone', () => {
    expect(mistralSecrets(`MISTRAL_API_KEY=\${{ secrets.MISTRAL_API_KEY }}`)).toEqual([]);
    expect(mistralSecrets('api_key = os.getenv("MISTRAL_API_KEY")')).toEqual([]);
  });
});
