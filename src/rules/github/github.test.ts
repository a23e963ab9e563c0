import { describe, expect, it } from 'vitest';
import { ruleProbe } from '../../../test/support/rule-probe.js';
import { ALPHABETS, fake } from '../examples.js';
import {
  classicToken,
  fineGrainedToken,
  hasClassicChecksum,
  hasFineGrainedChecksum,
  isStatelessInstallationToken,
  statelessInstallationToken,
} from './checksum.js';
import { github } from './index.js';

const { findings, dropReasons } = ruleProbe(github.rules);

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('classic token checksum', () => {
  it('matches CRC32 + base62 computed independently (Python zlib.crc32)', () => {
    // Reference values from `zlib.crc32(body)` encoded in base62 0-9A-Za-z, padded to 6.
    expect(hasClassicChecksum(`ghp_${'Zq3xW9pLk2Vt7RbN4mYc'}${'8HdJ5sFg1T'}${'2e4lU1'}`)).toBe(true);
    expect(hasClassicChecksum(`gho_${'0'.repeat(28)}a1${'2zMl1d'}`)).toBe(true);
    expect(hasClassicChecksum(`ghp_${'Zq3xW9pLk2Vt7RbN4mYc'}${'8HdJ5sFg1T'}${'2e4lU2'}`)).toBe(false);
  });

  it('covers the checksum of the 70-character body of 80-character refresh tokens', () => {
    const token = classicToken('ghr_', 'refresh', 70);

    expect(token).toHaveLength(80);
    expect(hasClassicChecksum(token)).toBe(true);
  });

  it('reports a valid classic token of each kind under its own rule', () => {
    const tokens = {
      'github.personal-access-token': classicToken('ghp_', 'kinds', 30),
      'github.oauth-token': classicToken('gho_', 'kinds', 30),
      'github.user-to-server-token': classicToken('ghu_', 'kinds', 30),
      'github.installation-token': classicToken('ghs_', 'kinds', 30),
      'github.refresh-token': classicToken('ghr_', 'kinds', 70),
    };
    const text = Object.values(tokens)
      .map((token, i) => `TOKEN_${i}=${token}`)
      .join('\n');

    expect(findings(text)).toEqual(Object.entries(tokens).map(([ruleId, secret]) => ({ ruleId, secret })));
  });

  it('drops a token whose checksum fails, as invalid structure', () => {
    const token = classicToken('ghp_', 'bad', 30);
    const bad = `${token.slice(0, 10)}${token[10] === 'a' ? 'b' : 'a'}${token.slice(11)}`;

    expect(findings(`GITHUB_TOKEN=${bad}`)).toEqual([]);
    expect(dropReasons(`GITHUB_TOKEN=${bad}`)).toEqual(['invalid-structure']);
  });

  it('ignores identifiers that merely start like a token', () => {
    const text = [
      'const ghp_token_value_here = load();',
      `my_ghp_${fake('glued', 36, ALPHABETS.alnum)}`,
      'ghp_ is the prefix of a classic PAT',
    ].join('\n');

    expect(findings(text)).toEqual([]);
  });
});

describe('fine-grained personal access token', () => {
  it('matches SHA-256 + base32 computed independently (Python hashlib/base64)', () => {
    const signed = `github_pat_11${'QWERTY0ASD'}${'hjklZxcvbn'}_${'Mn8Bv7Cx6Zl5Kj4Hg3Fd2Sa1Qw9Er8Ty7Ui6Op5Az4S'}`;

    expect(hasFineGrainedChecksum(`${signed}QIFT6ITZ${'abcd1234'}`)).toBe(true);
    expect(hasFineGrainedChecksum(`${signed}QIFT6ITA${'abcd1234'}`)).toBe(false);
  });

  it('finds a generated token and rejects one whose check characters are wrong', () => {
    const token = fineGrainedToken('engine');
    const wrong = `${token.slice(0, 77)}${token[77] === 'A' ? 'B' : 'A'}${token.slice(78)}`;

    expect(findings(`GITHUB_PAT=${token}`)).toEqual([{ ruleId: 'github.fine-grained-token', secret: token }]);
    expect(findings(`GITHUB_PAT=${wrong}`)).toEqual([]);
  });

  it('ignores the last 8 characters, which carry no known check', () => {
    const token = fineGrainedToken('tail');
    const other = `${token.slice(0, 85)}${fake('other-tail', 8, ALPHABETS.alnum)}`;

    expect(findings(`GITHUB_PAT=${other}`)).toEqual([{ ruleId: 'github.fine-grained-token', secret: other }]);
  });
});

describe('stateless installation token (ghs_<app id>_<JWT>)', () => {
  it('captures the whole token, dots included, and stops at a sentence full stop', () => {
    const token = statelessInstallationToken('prose');

    expect(token.length).toBeGreaterThan(400);
    expect(findings(`The Actions token was ${token}. Rotate it.`)).toEqual([
      { ruleId: 'github.installation-token', secret: token },
    ]);
  });

  it('finds it inside a JSON-escaped string', () => {
    const token = statelessInstallationToken('escaped');

    expect(findings(`{"log":"token=\\"${token}\\"\\nok"}`)).toEqual([
      { ruleId: 'github.installation-token', secret: token },
    ]);
  });

  it('rejects a payload that is not JSON and a header without alg', () => {
    const [head, , signature] = statelessInstallationToken('broken').split('.') as [string, string, string];
    const appPrefix = head.slice(0, head.indexOf('_eyJ') + 1);
    const notJson = `${head}.${fake('not-json', 60, ALPHABETS.base64url)}.${signature}`;
    const noAlg = `${appPrefix}${base64url({ typ: 'JWT' })}.${base64url({ iss: '1' })}.${signature}`;

    expect(isStatelessInstallationToken(notJson)).toBe(false);
    expect(isStatelessInstallationToken(noAlg)).toBe(false);
    expect(findings(`A=${notJson}\nB=${noAlg}`)).toEqual([]);
  });

  it('accepts any app id and claim set that GitHub may choose', () => {
    const signature = fake('claims', 86, ALPHABETS.base64url);
    const token = `ghs_${'3141592'}_${base64url({ alg: 'ES256' })}.${base64url({ inst: 42 })}.${signature}`;

    expect(findings(`token: ${token}`)).toEqual([{ ruleId: 'github.installation-token', secret: token }]);
  });
});

describe('samples', () => {
  it('are valid for every rule and deterministic', () => {
    for (const rule of github.rules) {
      for (const seed of ['a', 'b', 'c', 'd']) {
        const secret = rule.sample(seed);

        expect(rule.sample(seed)).toBe(secret);
        expect(findings(`X=${secret}`)).toEqual([{ ruleId: rule.id, secret }]);
      }
    }
  });
});
