import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function cohereSecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'cohere.api-key')
    .map((finding) => finding.secret.reveal());
}

describe('cohere.api-key', () => {
  const key = fake('cohere.test', 40, ALPHABETS.alnum);

  it('finds a key under the documented CO_API_KEY name and in SDK calls', () => {
    expect(cohereSecrets(`CO_API_KEY=${key}`)).toEqual([key]);
    expect(cohereSecrets(`co = cohere.Client("${key}")`)).toEqual([key]);
    expect(cohereSecrets(`const c = new CohereClientV2({ token: "${key}" });`)).toEqual([key]);
  });

  it('finds a key nested under a cohere parent in YAML, JSON and TOML', () => {
    expect(cohereSecrets(`cohere:\n  api_key: ${key}\n  model: command-r`)).toEqual([key]);
    expect(cohereSecrets(`"cohere": {\n    "apiKey": "${key}"\n}`)).toEqual([key]);
    expect(cohereSecrets(`[cohere]\ntoken = "${key}"`)).toEqual([key]);
  });

  it('needs the provider name: the same value elsewhere is not reported', () => {
    expect(cohereSecrets(`OPENAI_ORG_SECRET=${key}`)).toEqual([]);
    expect(cohereSecrets(`cohere = True\n\n\n${'#'.repeat(300)}\nTOKEN=${key}`)).toEqual([]);
  });

  it('skips digests, ids and lookalike names', () => {
    const sha = fake('cohere.test:sha', 40, ALPHABETS.hexLower);
    expect(cohereSecrets(`cohere_model_sha: ${sha}`)).toEqual([]);
    expect(cohereSecrets(`cohereModelSha = "${key}"`)).toEqual([]);
    expect(cohereSecrets(`COHERE_CONNECTOR_ID=${key}`)).toEqual([]);
    expect(cohereSecrets(`coherence_seed=${key}`)).toEqual([]);
    expect(cohereSecrets(`TACO_API_KEY=${key}`)).toEqual([]);
  });

  it('rejects hex values outright through the entropy floor', () => {
    expect(cohereSecrets(`COHERE_API_KEY=${fake('cohere.test:hex', 40, ALPHABETS.hexLower)}`)).toEqual([]);
  });

  it('leaves variable references and placeholders alone', () => {
    expect(cohereSecrets(`COHERE_API_KEY=\${COHERE_API_KEY}`)).toEqual([]);
    expect(cohereSecrets(`COHERE_API_KEY=${'x'.repeat(40)}`)).toEqual([]);
    expect(cohereSecrets('COHERE_API_KEY=your_cohere_api_key_goes_here_0123456789')).toEqual([]);
  });
});
