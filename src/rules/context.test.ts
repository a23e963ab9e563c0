import { describe, expect, it } from 'vitest';
import { NOT_A_SECRET, namedValue } from './context.js';
import { ALPHABETS, fake } from './examples.js';

const VALUE = '[A-Za-z0-9]{40}';
const key = fake('context.test', 40, ALPHABETS.alnum);

/** The secret the pattern captures in `text`, if any. */
function capture(pattern: RegExp, text: string): string | undefined {
  return new RegExp(pattern.source, 'g').exec(text)?.groups?.['secret'];
}

describe('namedValue', () => {
  const pattern = namedValue(['acme'], VALUE, { standalone: ['acme'], notWords: ['acmes'] });

  it.each([
    ['dotenv', `ACME_API_KEY=${key}`],
    ['shell export', `export ACME_API_KEY="${key}"`],
    ['yaml', `acme_api_key: '${key}'`],
    ['json', `{"acmeApiKey": "${key}"}`],
    ['dockerfile', `ENV ACME_API_KEY ${key}`],
    ['terraform, aligned', `acme_api_key          = "${key}"`],
    ['python dict', `os.environ["ACME_API_KEY"] = "${key}"`],
    ['notebook cell', `"os.environ[\\"ACME_API_KEY\\"] = \\"${key}\\"\\n",`],
    ['setdefault', `os.environ.setdefault("ACME_API_KEY", "${key}")`],
    ['getenv default', `os.getenv('ACME_API_KEY', '${key}')`],
    ['js fallback', `const k = process.env.ACME_API_KEY ?? "${key}";`],
    ['yaml nesting', `acme:\n  api_key: ${key}`],
    ['json nesting', `"acme": {\n    "token": "${key}"`],
    ['toml table', `[acme]\nkey = "${key}"`],
    ['one-line nesting', `{"acme": {"apiKey": "${key}"}}`],
  ])('captures the value in %s', (_context, text) => {
    expect(capture(pattern, text)).toBe(key);
  });

  it.each(NOT_A_SECRET)('skips a name with the segment %s', (word) => {
    expect(capture(pattern, `ACME_${word.toUpperCase()}=${key}`)).toBeUndefined();
    expect(capture(pattern, `acme_model_${word}: ${key}`)).toBeUndefined();
    expect(capture(pattern, `acme${word[0]!.toUpperCase()}${word.slice(1)} = "${key}"`)).toBeUndefined();
  });

  it('keeps words that merely contain a segment', () => {
    expect(capture(pattern, `ACME_SHARD_KEY=${key}`)).toBe(key);
    expect(capture(pattern, `ACME_PROVIDER_TOKEN=${key}`)).toBe(key);
  });

  it('honours standalone names and excluded words', () => {
    expect(capture(pattern, `XACME_API_KEY=${key}`)).toBeUndefined();
    expect(capture(pattern, `ACMES_KEY=${key}`)).toBeUndefined();
  });

  it('does not read a value on the next line without a nesting parent', () => {
    expect(capture(pattern, `acme_region: eu\nother: ${key}`)).toBeUndefined();
  });

  it('finds nothing in long runs of the name and its separators', () => {
    const text = `${'acme_'.repeat(20_000)}${'acme: {'.repeat(5_000)}${'acme'.repeat(20_000)}`;
    const global = new RegExp(pattern.source, 'g');

    let matches = 0;
    while (global.exec(text) !== null) matches++;

    expect(matches).toBe(0);
  });
});
