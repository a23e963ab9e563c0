import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { allRules } from '../registry.js';
import { perplexity } from './index.js';

const engine = compileRules(allRules);
const [rule] = perplexity.rules;

describe('perplexity.api-key', () => {
  it('samples pplx- and 48 alphanumerics', () => {
    expect(rule!.sample('shape')).toMatch(/^pplx-[A-Za-z0-9]{48}$/);
  });

  it('reports the key once in a JSON-escaped config', () => {
    const key = rule!.sample('escaped');

    const found = scanText(`"config": "{\\"apiKey\\": \\"${key}\\"}"`, engine).map((f) => f.secret.reveal());

    expect(found).toEqual([key]);
  });

  it('ignores the gitleaks placeholder', () => {
    expect(scanText(`PERPLEXITY_API_KEY=pplx-${'x'.repeat(48)}`, engine)).toEqual([]);
  });

  it('redacts to pplx- and four characters', () => {
    const key = rule!.sample('redact');

    const [finding] = scanText(`PPLX_API_KEY=${key}`, engine);

    expect(finding?.redacted).toBe(`pplx-…${key.slice(-4)}`);
  });
});
