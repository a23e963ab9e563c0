import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALPHABETS, fake } from '../rules/examples.js';
import { assigned, prefixed } from '../rules/regex.js';
import type { Rule } from '../rules/types.js';
import { fingerprint } from './fingerprint.js';
import { compileRules, scan, scanText } from './scan.js';
import type { Dropped } from './types.js';

/** Two made-up rules, one of each anchor, so these tests do not depend on the real rule set. */
const prefixRule: Rule = {
  id: 'acme.token',
  provider: 'acme',
  title: 'Acme token',
  class: 'model-api',
  severity: 'high',
  keywords: ['acme_'],
  anchor: 'prefix',
  pattern: prefixed('acme_', '[A-Za-z0-9]{32}'),
  minEntropy: 3,
  sample: (seed) => `acme_${fake(seed, 32)}`,
  examples: () => ({ positive: [], negative: [] }),
};
const contextRule: Rule = {
  id: 'acme.context-key',
  provider: 'acme',
  title: 'Acme context key',
  class: 'inference',
  severity: 'medium',
  keywords: ['acmeai'],
  anchor: 'window',
  pattern: assigned('acmeai', `[${'a-f0-9'}]{32}`),
  sample: (seed) => fake(seed, 32, ALPHABETS.hexLower),
  examples: () => ({ positive: [], negative: [] }),
};
const rules = compileRules([prefixRule, contextRule]);
const token = `acme_${fake('scan-test', 32)}`;
const hex = fake('scan-test', 32, ALPHABETS.hexLower);

function ids(text: string, path = 'file.txt') {
  return scanText(text, rules, { path }).map((finding) => [finding.ruleId, finding.line, finding.column]);
}

describe('scan', () => {
  it('reports line and column in the original text', () => {
    expect(ids(`first\n  key: ${token}\nACMEAI_API_KEY="${hex}"`)).toEqual([
      ['acme.token', 2, 8],
      ['acme.context-key', 3, 17],
    ]);
  });

  it('maps lines through lineNumbers for diff fragments', () => {
    const findings = scan([{ path: 'a.env', text: `x\nT=${token}`, lineNumbers: [10, 42] }], rules, {
      fingerprintKey: 'k',
    });

    expect(findings.map((finding) => [finding.path, finding.line, finding.column])).toEqual([
      ['a.env', 42, 3],
    ]);
  });

  it('drops a keyword glued to a preceding identifier', () => {
    expect(ids(`xacme_${fake('glued', 32)} my-acme_${fake('glued2', 32)}`)).toEqual([]);
  });

  it('finds keys after JSON and C escapes', () => {
    expect(ids(`"env": "A=1\\n${token}\\tB=2"`)).toEqual([['acme.token', 1, 14]]);
  });

  it('finds keys in JSON-escaped strings', () => {
    expect(ids(`"{\\"acmeai_key\\": \\"${hex}\\"}"`)).toEqual([['acme.context-key', 1, 21]]);
  });

  it('requires the whole token: no match inside a longer one', () => {
    expect(ids(`${token}Z`)).toEqual([]);
    expect(ids(`${token}-more`)).toEqual([]);
  });

  it.each([
    ['a run of one character', `acme_${'x'.repeat(32)}`],
    ['xxxx', `acme_${fake('p', 12)}xxxx${fake('q', 16)}`],
    ['your…', `acme_Your${fake('r', 28)}`],
    ['…EXAMPLE', `acme_${fake('s', 25)}EXAMPLE`],
    ['an ascending walk', `acme_${fake('t', 12)}abcdefgh${fake('u', 12)}`],
    ['four distinct characters', `acme_${'abcd'.repeat(8)}`],
  ])('drops placeholders: %s', (_name, text) => {
    const dropped: Dropped[] = [];

    const found = scanText(text, rules, { onDrop: (d) => dropped.push(d) });

    expect(found).toEqual([]);
    expect(dropped.map((d) => d.reason)).toEqual(['placeholder']);
  });

  it.each([
    ['a truncated value', `ACMEAI_KEY=${hex.slice(0, 20)}…`],
    ['a masked value', `ACMEAI_KEY=${hex.slice(0, 4)}****`],
    ['an angle-bracket placeholder', 'ACMEAI_KEY=<your-acmeai-key>'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text a workflow holds.
    ['a GitHub Actions secret', 'ACMEAI_KEY: ${{ secrets.ACMEAI_KEY }}'],
    ['a shell variable', 'ACMEAI_KEY=$ACMEAI_KEY'],
    ['a template', 'acmeai_key: {{ .Values.acmeai.key }}'],
    ['process.env', 'const acmeai = process.env.ACMEAI_KEY'],
    ['os.environ', 'acmeai_key = os.environ["ACMEAI_KEY"]'],
  ])('does not report %s', (_name, text) => {
    expect(ids(text)).toEqual([]);
  });

  it('drops values below the entropy floor', () => {
    const dropped: Dropped[] = [];

    scanText(`acme_${'abc123'.repeat(5)}ab`, rules, { onDrop: (d) => dropped.push(d) });

    expect(dropped.map((d) => d.reason)).toEqual(['low-entropy']);
  });

  it('honours the inline keywarden:allow comment on the same line only', () => {
    expect(ids(`KEY=${token} # keywarden:allow test fixture\nKEY=${token}`)).toEqual([['acme.token', 2, 5]]);
  });

  it('leaves out fingerprints in the baseline', () => {
    const known = fingerprint(token, 'k');

    const found = scan([{ path: 'a', text: `${token}\n${prefixRule.sample('other')}` }], rules, {
      fingerprintKey: 'k',
      baseline: new Set([known]),
    });

    expect(found.map((finding) => finding.line)).toEqual([2]);
  });

  it('ignores base64 image outputs in notebooks but not text cells', () => {
    const image = `iVBORw0KGgo${fake('img', 40, ALPHABETS.base64)}\\n${token}`;
    const notebook = JSON.stringify(
      {
        cells: [
          { cell_type: 'code', source: [`key = "${token}"\n`], outputs: [{ data: { 'image/png': image } }] },
          { cell_type: 'code', source: [], outputs: [{ data: { 'text/plain': [`'${token}'`] } }] },
        ],
      },
      null,
      1,
    );

    const found = scanText(notebook, rules, { path: 'analysis.ipynb' });

    const lineOf = (needle: string) => notebook.slice(0, notebook.indexOf(needle)).split('\n').length;
    expect(found.map((finding) => finding.line)).toEqual([
      lineOf(`key = \\"${token}`),
      lineOf(`"'${token}'"`),
    ]);
    expect(scanText(notebook, rules, { path: 'analysis.json' })).toHaveLength(3);
  });

  it('reports one finding per value when two rules claim it, the more severe winning', () => {
    const twin: Rule = { ...prefixRule, id: 'acme.twin', severity: 'critical' };

    const found = scanText(token, [prefixRule, twin]);

    expect(found.map((finding) => finding.ruleId)).toEqual(['acme.twin']);
  });

  it('fingerprints with HMAC-SHA-256 under the given key', () => {
    const [finding] = scan([{ path: 'a', text: token }], rules, { fingerprintKey: 'server-key' });

    expect(finding!.fingerprint).toBe(fingerprint(token, 'server-key'));
    expect(finding!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(finding!.fingerprint).not.toBe(fingerprint(token, 'other-key'));
  });

  it('never prints the raw value: JSON, string, inspect and template all show the redacted form', () => {
    const [finding] = scanText(`k=${token}`, rules);

    expect(finding!.redacted).toBe(`acme_…${token.slice(-4)}`);
    for (const shown of [
      JSON.stringify(finding),
      String(finding!.secret),
      inspect(finding),
      `${finding!.secret}`,
    ]) {
      expect(shown).not.toContain(token);
      expect(shown).toContain(finding!.redacted);
    }
    expect(finding!.secret.reveal()).toBe(token);
  });

  it('compiles once and rejects a pattern without a secret group', () => {
    expect(() => compileRules([{ ...prefixRule, pattern: /acme_[a-z]{3}/ }])).toThrow(/named group "secret"/);
  });
});

describe('scan boundaries', () => {
  it('finds a key right after a terminal colour code, raw or JSON-escaped', () => {
    expect(ids(`"x=\\u001b[38;5;124m${token}\\u001b[39m"`)).toEqual([['acme.token', 1, 20]]);
    expect(ids(`\x1b[31m${token}\x1b[0m`)).toEqual([['acme.token', 1, 6]]);
  });

  it('keeps keyword floods cheap and still finds the key at the end of a run', () => {
    const flood = `${'acmeai'.repeat(50_000)}_key = "${hex}"`;

    expect(ids(flood)).toEqual([['acme.context-key', 1, 300_009]]);
  });
});
