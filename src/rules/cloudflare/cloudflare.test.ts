import { describe, expect, it } from 'vitest';
import { ruleProbe } from '../../../test/support/rule-probe.js';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { cloudflare, cloudflareToken, hasCloudflareChecksum } from './index.js';

const engine = compileRules(cloudflare.rules);
const { findings, dropReasons } = ruleProbe(cloudflare.rules);

describe('cloudflare token checksum', () => {
  it('is the CRC32 of the 40 random characters, as Python zlib.crc32 computes it', () => {
    const random = `${'Q7wE9rT2yU4iO6pA8sD1'}${'fG3hJ5kL7zX9cV2bN4mM'}`;

    expect(hasCloudflareChecksum(`cfut_${random}9f4132e5`)).toBe(true);
    expect(hasCloudflareChecksum(`cfat_${random}9f4132e5`)).toBe(true);
    expect(hasCloudflareChecksum(`cfut_${random}9f4132e6`)).toBe(false);
  });

  it('reports user and account tokens, each keeping its prefix in the redacted form', () => {
    const user = cloudflareToken('cfut_', 'kinds');
    const account = cloudflareToken('cfat_', 'kinds');

    const found = scanText(`USER=${user}\nACCOUNT=${account}`, engine);

    expect(found.map((finding) => [finding.ruleId, finding.secret.reveal()])).toEqual([
      ['cloudflare.api-token', user],
      ['cloudflare.api-token', account],
    ]);
    expect(found.map((finding) => finding.redacted)).toEqual([
      `cfut_…${user.slice(-4)}`,
      `cfat_…${account.slice(-4)}`,
    ]);
  });

  it('drops a token whose checksum fails, as invalid structure', () => {
    const token = cloudflareToken('cfut_', 'bad');
    const bad = `${token.slice(0, 20)}${token[20] === 'a' ? 'b' : 'a'}${token.slice(21)}`;

    expect(findings(`CLOUDFLARE_API_TOKEN=${bad}`)).toEqual([]);
    expect(dropReasons(`CLOUDFLARE_API_TOKEN=${bad}`)).toEqual(['invalid-structure']);
  });

  it('leaves pre-2026 unprefixed tokens and lookalike identifiers alone', () => {
    const text = [
      `CLOUDFLARE_API_TOKEN=${fake('legacy', 40, ALPHABETS.base64url)}`,
      'const cfut_token_value_here = 1;',
      `x_cfut_${fake('glued', 48, ALPHABETS.alnum)}`,
    ].join('\n');

    expect(findings(text)).toEqual([]);
  });

  it('samples valid, deterministic tokens of both kinds', () => {
    const [rule] = cloudflare.rules;
    const samples = ['a', 'b', 'c', 'd', 'e', 'f'].map((seed) => rule!.sample(seed));

    expect(new Set(samples.map((secret) => secret.slice(0, 5)))).toEqual(new Set(['cfut_', 'cfat_']));
    for (const secret of samples) {
      expect(findings(`wrangler secret put TOKEN ${secret}`)).toEqual([
        { ruleId: 'cloudflare.api-token', secret },
      ]);
    }
    expect(rule!.sample('a')).toBe(samples[0]);
  });

  it('keeps an upper-case checksum out (the check is lower-case hex)', () => {
    const token = cloudflareToken('cfat_', 'upper');
    const upper = token.slice(0, -8) + token.slice(-8).toUpperCase();

    expect(upper).not.toBe(token);
    expect(findings(`T=${upper}`)).toEqual([]);
  });
});
