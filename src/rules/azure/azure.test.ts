import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { allRules } from '../registry.js';
import { azure } from './index.js';

const engine = compileRules(allRules);

function rule(id: string) {
  const found = azure.rules.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

function found(text: string): Array<[string, string]> {
  return scanText(text, engine).map((finding) => [finding.ruleId, finding.secret.reveal()]);
}

describe('azure.openai-key', () => {
  const key = rule('azure.openai-key').sample('test');

  it('needs Azure OpenAI context within a few lines', () => {
    const near = `AZURE_OPENAI_ENDPOINT=https://contoso.openai.azure.com/\nAZURE_DEPLOYMENT=gpt-4o\nAPI_KEY=${key}`;
    const none = `SERVICE_ENDPOINT=https://contoso.example.com/\nAPI_KEY=${key}`;

    expect(found(near)).toEqual([['azure.openai-key', key]]);
    expect(found(none)).toEqual([]);
  });

  it('takes context that follows the key', () => {
    const text = `api_key: ${key}\napi_base: https://contoso.openai.azure.com/\napi_type: azure`;

    expect(found(text)).toEqual([['azure.openai-key', key]]);
  });

  it('leaves hex that is not assigned to a key alone', () => {
    const text = `azure_openai:\n  deployment: ${key}\n  endpoint: https://contoso.openai.azure.com/`;

    expect(found(text)).toEqual([]);
  });

  it('reports upper-case hex keys too', () => {
    const upper = key.toUpperCase();

    expect(found(`AZURE_OPENAI_KEY=${upper}`)).toEqual([['azure.openai-key', upper]]);
  });
});

describe('azure.ai-services-key', () => {
  const key = rule('azure.ai-services-key').sample('test');

  it('samples 84 characters with the JQQJ99 and ACOG markers at their offsets', () => {
    expect(key).toHaveLength(84);
    expect(key.slice(52, 58)).toBe('JQQJ99');
    expect(key.slice(76, 80)).toBe('ACOG');
  });

  it('needs no context: the key names itself', () => {
    expect(found(`const k = "${key}";`)).toEqual([['azure.ai-services-key', key]]);
  });

  it('is not reported twice when it sits in Azure OpenAI context', () => {
    const text = `AZURE_OPENAI_ENDPOINT=https://contoso.openai.azure.com/\nAZURE_OPENAI_API_KEY=${key}`;

    expect(found(text)).toEqual([['azure.ai-services-key', key]]);
  });
});
