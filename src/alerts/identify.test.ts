import { describe, expect, it } from 'vitest';
import { fingerprint } from '../engine/fingerprint.js';
import { scanText } from '../engine/scan.js';
import { Secret } from '../engine/secret.js';
import { ALPHABETS, fake } from '../rules/examples.js';
import { allRules } from '../rules/registry.js';
import { identifyAlertSecret } from './identify.js';
import { mappedSecretType } from './secret-types.js';

const KEY = 'identify-test-key';
const rule = (id: string) => allRules.find((candidate) => candidate.id === id)!;
const wrap = (value: string) => new Secret(value, '…');

describe('identifyAlertSecret', () => {
  it.each([
    ['openai_api_key', 'openai.project-key'],
    ['openai_api_key', 'openai.service-account-key'],
    ['openai_api_key', 'openai.admin-key'],
    ['openai_api_key', 'openai.legacy-key'],
    ['github_personal_access_token', 'github.fine-grained-token'],
    ['github_personal_access_token', 'github.personal-access-token'],
    ['slack_api_token', 'slack.user-token'],
    ['anthropic_api_key', 'anthropic.api-key'],
    ['groq_api_key', 'groq.api-key'],
  ])('%s holding a %s key: that rule, and the fingerprint a push of it gets', (secretType, ruleId) => {
    const value = rule(ruleId).sample('identify');
    const pushed = scanText(`TOKEN = "${value}"\n`, allRules, { fingerprintKey: KEY });

    const identified = identifyAlertSecret(wrap(value), mappedSecretType(secretType)!, allRules, KEY);

    expect(identified).toEqual({
      ruleId,
      provider: rule(ruleId).provider,
      title: rule(ruleId).title,
      class: rule(ruleId).class,
      severity: rule(ruleId).severity,
      fingerprint: pushed[0]!.fingerprint,
      redacted: pushed[0]!.redacted,
    });
  });

  it('falls back to the table rule when the bare value matches no rule (context rules)', () => {
    const value = fake('identify-cohere', 40, ALPHABETS.alnum);

    const identified = identifyAlertSecret(wrap(value), mappedSecretType('cohere_api_key')!, allRules, KEY);

    expect(identified).toMatchObject({
      ruleId: 'cohere.api-key',
      provider: 'cohere',
      fingerprint: fingerprint(value, KEY),
      redacted: `…${value.slice(-4)}`,
    });
  });

  it('keeps the visible prefix of the fallback rule in the preview', () => {
    const value = `sk-${fake('identify-deepseek', 32, ALPHABETS.hexLower)}`;

    const identified = identifyAlertSecret(wrap(value), mappedSecretType('deepseek_api_key')!, allRules, KEY);

    expect(identified.ruleId).toBe('deepseek.api-key');
    expect(identified.redacted).toBe(`sk-…${value.slice(-4)}`);
  });

  it('finds the credential inside a larger value (a key in a blob of text)', () => {
    const value = rule('google.api-key').sample('identify-google');

    const identified = identifyAlertSecret(
      wrap(`{"api_key": "${value}"}`),
      mappedSecretType('google_gemini_api_key')!,
      allRules,
      KEY,
    );

    expect(identified).toMatchObject({ ruleId: 'google.api-key', fingerprint: fingerprint(value, KEY) });
  });
});
