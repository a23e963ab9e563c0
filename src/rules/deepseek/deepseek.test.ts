import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { allRules } from '../registry.js';
import { deepseek } from './index.js';

const engine = compileRules(allRules);
const [rule] = deepseek.rules;

function found(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'deepseek.api-key')
    .map((finding) => finding.secret.reveal());
}

describe('deepseek.api-key', () => {
  it('samples sk- and 32 lower-case hex characters', () => {
    expect(rule!.sample('shape')).toMatch(/^sk-[a-f0-9]{32}$/);
  });

  it('reports only the DeepSeek key of a multi-provider .env', () => {
    const mine = rule!.sample('mine');
    const theirs = rule!.sample('theirs');

    const text = `DASHSCOPE_API_KEY=${theirs}\nDEEPSEEK_API_KEY=${mine}\nMOONSHOT_MODEL=kimi`;

    expect(found(text)).toEqual([mine]);
  });

  it('takes the API host two lines below as context', () => {
    const key = rule!.sample('host');

    const text = `llm = ChatOpenAI(\n    openai_api_key="${key}",\n    model="chat",\n    base_url="https://api.deepseek.com",\n)`;

    expect(found(text)).toEqual([key]);
  });

  it('does not take the API host three lines away as context', () => {
    const key = rule!.sample('far');

    const text = `BASE=https://api.deepseek.com\nA=1\nB=2\nC=3\nQWEN_KEY=${key}`;

    expect(found(text)).toEqual([]);
  });

  it('reports a key on a line after a TOML section', () => {
    const key = rule!.sample('toml');

    expect(found(`[deepseek]\napi_key = "${key}"\n`)).toEqual([key]);
  });
});
