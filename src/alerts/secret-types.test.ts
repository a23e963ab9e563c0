import { describe, expect, it } from 'vitest';
import { allRules } from '../rules/registry.js';
import { mappedSecretType, SECRET_TYPES, sweepSecretTypes } from './secret-types.js';

describe('the secret type mapping', () => {
  it('names only rules that exist, of the mapped provider', () => {
    const broken = SECRET_TYPES.filter((mapping) => {
      const rule = allRules.find((candidate) => candidate.id === mapping.ruleId);
      return !rule || rule.provider !== mapping.provider;
    });

    expect(broken).toEqual([]);
  });

  it('maps each GitHub secret type once', () => {
    const types = SECRET_TYPES.map((mapping) => mapping.secretType);

    expect(new Set(types).size).toBe(types.length);
  });

  it('covers the AI secret types the issue lists', () => {
    const listed = [
      'openai_api_key',
      'anthropic_api_key',
      'anthropic_admin_api_key',
      'hf_user_access_token',
      'google_api_key',
      'google_gemini_api_key',
      'azure_openai_key',
      'groq_api_key',
      'xai_api_key',
      'replicate_api_token',
      'openrouter_api_key',
      'pinecone_api_key',
      'deepseek_api_key',
      'perplexity_api_key',
      'cohere_api_key',
      'mistral_ai_api_key',
      'langchain_api_personal_key',
      'langchain_api_server_key',
      'wandb_api_key',
      'databricks_access_token',
      'aws_access_key_id',
    ];

    expect(listed.filter((type) => !mappedSecretType(type))).toEqual([]);
  });

  it('ignores types keywarden does not govern', () => {
    expect(mappedSecretType('adafruit_io_key')).toBeUndefined();
    expect(mappedSecretType('')).toBeUndefined();
  });

  it('sweeps the documented types, sorted, comma-separated', () => {
    const types = sweepSecretTypes().split(',');

    expect(types).toEqual([...types].sort());
    expect(types).toContain('openai_api_key');
    expect(types).not.toContain('pinecone_api_key');
    expect(types).toHaveLength(SECRET_TYPES.length - 1);
  });
});
