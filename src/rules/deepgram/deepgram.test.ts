import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function deepgramSecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'deepgram.api-key')
    .map((finding) => finding.secret.reveal());
}

describe('deepgram.api-key', () => {
  const key = fake('deepgram.test', 40, ALPHABETS.hexLower);

  it('finds the Token header only near a deepgram mention', () => {
    const curl = `curl --request POST --url https://api.deepgram.com/v1/listen --header 'Authorization: Token ${key}'`;
    expect(deepgramSecrets(curl)).toEqual([key]);
    expect(deepgramSecrets(`curl https://example.com --header 'Authorization: Token ${key}'`)).toEqual([]);
  });

  it('does not take a lowercase `token` header (GitHub style) for Deepgram', () => {
    expect(
      deepgramSecrets(`# deepgram\ncurl -H "Authorization: token ${key}" https://api.github.com`),
    ).toEqual([]);
  });

  it('treats 40 hex under commit, sha and id names as digests', () => {
    expect(deepgramSecrets(`DEEPGRAM_SDK_COMMIT=${key}`)).toEqual([]);
    expect(deepgramSecrets(`deepgram-sha1: ${key}`)).toEqual([]);
    expect(deepgramSecrets(`deepgramRequestId = "${key}"`)).toEqual([]);
  });

  it('finds the Python client constructor', () => {
    expect(deepgramSecrets(`dg = DeepgramClient(api_key="${key}")`)).toEqual([key]);
  });
});
