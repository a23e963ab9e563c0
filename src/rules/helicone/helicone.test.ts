import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function heliconeFindings(text: string): Array<[string, string]> {
  return scanText(text, engine)
    .filter((finding) => finding.provider === 'helicone')
    .map((finding) => [finding.ruleId, finding.secret.reveal()]);
}

describe('helicone', () => {
  const body = [0, 1, 2, 3].map((i) => fake(`helicone.test:${i}`, 7, BASE32)).join('-');

  it('accepts every documented segment combination, in order', () => {
    for (const segments of ['', 'eu-', 'rl-', 'eu-rl-']) {
      expect(heliconeFindings(`k=sk-helicone-${segments}${body}`)).toEqual([
        ['helicone.api-key', `sk-helicone-${segments}${body}`],
      ]);
      expect(heliconeFindings(`k=pk-helicone-${segments}${body}`)).toEqual([
        ['helicone.write-key', `pk-helicone-${segments}${body}`],
      ]);
    }
  });

  it('rejects other segments and the legacy bare `sk-` form', () => {
    expect(heliconeFindings(`k=sk-helicone-gov-${body}`)).toEqual([]);
    expect(heliconeFindings(`k=sk-heliconeX-${body}`)).toEqual([]);
    expect(heliconeFindings(`k=sk-${body}`)).toEqual([]);
  });

  it('reports a proxy key once, as a proxy key', () => {
    const uuid = `${fake('helicone.test:u1', 8, '0123456789abcdef')}-0a1b-4c2d-9e3f-${fake('helicone.test:u2', 12, '0123456789abcdef')}`;
    const key = `sk-helicone-proxy-${body}-${uuid}`;
    expect(heliconeFindings(`OPENAI_API_KEY=${key}`)).toEqual([['helicone.proxy-key', key]]);
  });

  it('finds a write key in the gateway URL path', () => {
    const key = `pk-helicone-${body}`;
    expect(heliconeFindings(`fetch("https://gateway.helicone.ai/${key}/v1/chat/completions")`)).toEqual([
      ['helicone.write-key', key],
    ]);
  });
});
