import { describe, expect, it } from 'vitest';
import { scanText } from '../../engine/scan.js';
import { allRules } from '../registry.js';
import { pineconeApiKey, pineconeLegacyApiKey } from './index.js';

describe('pinecone rules', () => {
  it('samples use the base58 alphabet, a key id and a 63-character secret', () => {
    const key = pineconeApiKey.sample('shape');

    expect(key).toMatch(/^pcsk_[1-9A-HJ-NP-Za-km-z]{6}_[1-9A-HJ-NP-Za-km-z]{63}$/);
  });

  it('reports a legacy UUID key only under a Pinecone key name', () => {
    const legacy = pineconeLegacyApiKey.sample('ctx');

    expect(scanText(`PINECONE_API_KEY="${legacy}"`, allRules).map((f) => f.ruleId)).toEqual([
      'pinecone.legacy-api-key',
    ]);
    expect(scanText(`PINECONE_INDEX_HOST_ID="${legacy}"`, allRules)).toEqual([]);
    expect(scanText(`SESSION_KEY="${legacy}"`, allRules)).toEqual([]);
  });

  it('reports the current key and the legacy key of one file separately', () => {
    const current = pineconeApiKey.sample('both');
    const legacy = pineconeLegacyApiKey.sample('both');

    const findings = scanText(`PINECONE_API_KEY=${current}\nPINECONE_OLD_KEY=${legacy}\n`, allRules);

    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([
      ['pinecone.api-key', 1],
      ['pinecone.legacy-api-key', 2],
    ]);
    expect(findings[0]!.redacted).toBe(`pcsk_…${current.slice(-4)}`);
  });
});
