import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';
import { OPENAI_MARKER, openai } from './index.js';

const engine = compileRules(allRules);

function rule(id: string) {
  const found = openai.rules.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

function idsIn(text: string): string[] {
  return scanText(text, engine).map((finding) => finding.ruleId);
}

describe('openai rules', () => {
  it('reports each modern key once, under its own kind only', () => {
    const kinds = ['openai.project-key', 'openai.service-account-key', 'openai.admin-key'];

    const reported = kinds.map((id) => idsIn(`OPENAI_API_KEY=${rule(id).sample('once')}`));

    expect(reported).toEqual(kinds.map((id) => [id]));
  });

  it('reports a legacy key under the legacy rule', () => {
    const secret = rule('openai.legacy-key').sample('legacy');

    const [finding, ...rest] = scanText(`openai.api_key = '${secret}'`, engine);

    expect(rest).toEqual([]);
    expect(finding?.ruleId).toBe('openai.legacy-key');
    expect(finding?.secret.reveal()).toBe(secret);
    expect(secret).toHaveLength(51);
  });

  it('finds the early 20/20 project and service-account keys of 2024', () => {
    const short = `${fake('early', 20, ALPHABETS.alnum)}${OPENAI_MARKER}${fake('early2', 20, ALPHABETS.alnum)}`;

    expect(idsIn(`key: sk-proj-${short}`)).toEqual(['openai.project-key']);
    expect(idsIn(`key: sk-svcacct-${short}`)).toEqual(['openai.service-account-key']);
  });

  it('leaves a proj- key with a glued prefix to nobody', () => {
    const secret = rule('openai.project-key').sample('glued');

    expect(idsIn(`xsk-${secret.slice(3)}`)).toEqual([]);
  });

  it('rates admin keys critical and shows only the prefix and four characters', () => {
    const secret = rule('openai.admin-key').sample('admin');

    const [finding] = scanText(`OPENAI_ADMIN_KEY="${secret}"`, engine);

    expect(finding?.severity).toBe('critical');
    expect(finding?.redacted).toBe(`sk-admin-…${secret.slice(-4)}`);
    expect(secret).toHaveLength(133);
  });

  it('samples current-length keys: 164 characters for project keys', () => {
    expect(rule('openai.project-key').sample('len')).toHaveLength(164);
    expect(rule('openai.service-account-key').sample('len')).toHaveLength(167);
  });
});
